#pragma once
// The GCE metadata server (api-reference B.1, B.5): whether this machine is a Google Cloud
// VM, its service account's tokens and its project. Addresses as google-auth reads them:
// requests go to http://$GCE_METADATA_HOST (else $GCE_METADATA_ROOT, else
// metadata.google.internal), the presence check to http://$GCE_METADATA_IP (else
// 169.254.169.254) with a $GCE_METADATA_TIMEOUT-second limit (default 3). NO_GCE_CHECK=True
// skips the check. Every request carries `Metadata-Flavor: Google`.

#include <chrono>
#include <string>

#include "adapters/gcp/auth_context.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

struct MetadataAddresses {
  std::string api_base;    // "http://metadata.google.internal"
  std::string probe_base;  // "http://169.254.169.254"
  std::chrono::milliseconds probe_timeout{std::chrono::seconds(3)};
  bool check_disabled = false;  // NO_GCE_CHECK
};

MetadataAddresses metadata_addresses(const AuthContext& context);

struct MetadataPresence {
  bool present = false;
  std::string detail;  // why not: "169.254.169.254 did not answer (…)"
};

class MetadataServer {
 public:
  explicit MetadataServer(const AuthContext& context);

  // One GET of the probe address; present when the answer carries Metadata-Flavor: Google.
  [[nodiscard]] MetadataPresence probe() const;
  // The default service account's token, asking for the context's scopes.
  [[nodiscard]] Result<core::AccessToken> token() const;
  // project/project-id.
  [[nodiscard]] Result<std::string> project_id() const;

  [[nodiscard]] const MetadataAddresses& addresses() const { return addresses_; }

 private:
  [[nodiscard]] Result<std::string> get(const std::string& target, std::string_view what) const;

  const AuthContext& context_;
  MetadataAddresses addresses_;
};

class MetadataTokenSource final : public core::AccessTokenSource {
 public:
  explicit MetadataTokenSource(const AuthContext& context) : server_(context) {}

  Result<core::AccessToken> token() override { return server_.token(); }
  [[nodiscard]] std::string describe() const override;

 private:
  MetadataServer server_;
};

}  // namespace deepdock::adapters::gcp
