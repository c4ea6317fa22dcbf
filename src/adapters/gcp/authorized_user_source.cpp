#include "adapters/gcp/authorized_user_source.hpp"

#include <fmt/format.h>

#include <utility>

#include "adapters/gcp/token_endpoint.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {

AuthorizedUserSource::AuthorizedUserSource(const AuthContext& context, AuthorizedUser user,
                                           std::string origin)
    : context_(context), user_(std::move(user)), origin_(std::move(origin)) {}

std::string AuthorizedUserSource::describe() const {
  const std::string who =
      user_.account.empty() ? "user credentials" : fmt::format("user {}", user_.account);
  return fmt::format("{} ({})", who, origin_);
}

std::string AuthorizedUserSource::token_uri() const {
  if (!user_.token_uri.empty()) {
    return user_.token_uri;
  }
  return context_.getenv("DEEPDOCK_GCP_OAUTH_ENDPOINT").value_or(std::string(kDefaultTokenUri));
}

Result<core::AccessToken> AuthorizedUserSource::token() {
  TokenGrant grant{token_uri(),
                   {{"grant_type", "refresh_token"},
                    {"client_id", user_.client_id},
                    {"client_secret", user_.client_secret},
                    {"refresh_token", user_.refresh_token},
                    {"scope", util::join(context_.scopes, " ")}},
                   describe(),
                   "the sign-in has expired or was revoked: run `gcloud auth "
                   "application-default login` again"};
  return request_token(context_, grant);
}

}  // namespace deepdock::adapters::gcp
