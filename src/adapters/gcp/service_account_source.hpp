#pragma once
// Access tokens for a service-account key: a JWT signed with the key, exchanged at the
// key's token_uri (the JWT-bearer grant, api-reference B.3).

#include <string>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/gcp/credentials_file.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

inline constexpr std::chrono::seconds kAssertionLifetime{3600};

class ServiceAccountSource final : public core::AccessTokenSource {
 public:
  // `origin` says where the key came from ("key /path (GOOGLE_APPLICATION_CREDENTIALS)").
  ServiceAccountSource(const AuthContext& context, ServiceAccountKey key, std::string origin);

  Result<core::AccessToken> token() override;
  [[nodiscard]] std::string describe() const override;

  // The signed assertion for `now` (header kid = private_key_id; claims iss, scope, aud =
  // token_uri, iat, exp = iat + 1 h). Exposed for tests.
  [[nodiscard]] Result<std::string> assertion(std::chrono::system_clock::time_point now) const;

 private:
  const AuthContext& context_;
  ServiceAccountKey key_;
  std::string origin_;
};

}  // namespace deepdock::adapters::gcp
