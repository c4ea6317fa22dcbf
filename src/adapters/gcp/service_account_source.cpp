#include "adapters/gcp/service_account_source.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/gcp/jwt.hpp"
#include "adapters/gcp/token_endpoint.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {

ServiceAccountSource::ServiceAccountSource(const AuthContext& context, ServiceAccountKey key,
                                           std::string origin)
    : context_(context), key_(std::move(key)), origin_(std::move(origin)) {}

std::string ServiceAccountSource::describe() const {
  return fmt::format("service account {} ({})", key_.client_email, origin_);
}

Result<std::string> ServiceAccountSource::assertion(
    std::chrono::system_clock::time_point now) const {
  const int64_t issued_at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key_.private_key_id.empty()) {
    header["kid"] = key_.private_key_id;
  }
  const nlohmann::json claims = {{"iss", key_.client_email},
                                 {"scope", util::join(context_.scopes, " ")},
                                 {"aud", key_.token_uri},
                                 {"iat", issued_at},
                                 {"exp", issued_at + kAssertionLifetime.count()}};
  auto signed_jwt = sign_jwt_rs256(header, claims, key_.private_key);
  if (!signed_jwt) {
    return fail(
        signed_jwt.error().context(fmt::format("signing a token request for {}", describe())));
  }
  return signed_jwt;
}

Result<core::AccessToken> ServiceAccountSource::token() {
  TRY_ASSIGN(const std::string jwt, assertion(context_.now()));
  util::register_secret(jwt);
  TokenGrant grant{
      key_.token_uri,
      {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", jwt}},
      describe(),
      "the key may have been deleted or disabled: create a new one (`gcloud iam "
      "service-accounts keys create`) and point GOOGLE_APPLICATION_CREDENTIALS at it; an "
      "\"invalid JWT\" can also mean this machine's clock is wrong"};
  return request_token(context_, grant);
}

}  // namespace deepdock::adapters::gcp
