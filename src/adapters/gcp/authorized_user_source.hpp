#pragma once
// Access tokens for a user's refresh token (`gcloud auth application-default login`): the
// refresh-token grant (api-reference B.4) at https://oauth2.googleapis.com/token, or the
// file's token_uri, or $DEEPDOCK_GCP_OAUTH_ENDPOINT (for emulators and tests).

#include <string>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/gcp/credentials_file.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

class AuthorizedUserSource final : public core::AccessTokenSource {
 public:
  AuthorizedUserSource(const AuthContext& context, AuthorizedUser user, std::string origin);

  Result<core::AccessToken> token() override;
  [[nodiscard]] std::string describe() const override;

  // Where the grant goes: the file's token_uri, else $DEEPDOCK_GCP_OAUTH_ENDPOINT, else
  // Google's endpoint.
  [[nodiscard]] std::string token_uri() const;

 private:
  const AuthContext& context_;
  AuthorizedUser user_;
  std::string origin_;
};

}  // namespace deepdock::adapters::gcp
