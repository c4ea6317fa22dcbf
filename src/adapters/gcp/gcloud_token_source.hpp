#pragma once
// The last resort after Application Default Credentials: `gcloud auth print-access-token`
// (api-reference B.6), run as an argument vector on this machine. It serves whoever is
// signed in to gcloud (`gcloud auth login`), and honours CLOUDSDK_CONFIG and
// CLOUDSDK_AUTH_ACCESS_TOKEN_FILE as gcloud does.

#include <string>
#include <vector>

#include "adapters/gcp/auth_context.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

// gcloud prints no lifetime; its tokens have at least this long left (it refreshes earlier),
// so this is how long one is reused before gcloud is asked again.
inline constexpr std::chrono::seconds kGcloudTokenLifetime{180};

class GcloudTokenSource final : public core::AccessTokenSource {
 public:
  // `tried` lists what the credential search tried before gcloud, for the message when
  // gcloud fails too.
  GcloudTokenSource(const AuthContext& context, std::vector<std::string> tried);

  Result<core::AccessToken> token() override;
  [[nodiscard]] std::string describe() const override;

  static std::vector<std::string> command();

 private:
  [[nodiscard]] tl::unexpected<Error> nothing_worked(const std::string& gcloud_failure) const;

  const AuthContext& context_;
  std::vector<std::string> tried_;
};

}  // namespace deepdock::adapters::gcp
