#pragma once
// Registry credentials, found the way the docker CLI finds them in ~/.docker/config.json:
// a per-registry credential helper (credHelpers), the default store (credsStore), or the
// inline base64 entry (auths). Every secret found is registered for log redaction.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::adapters::docker {

struct RegistryCredentials {
  std::string username, password, identity_token, server_address;
};

class RegistryAuth {
 public:
  explicit RegistryAuth(std::filesystem::path docker_config_dir);

  // Looks up credentials for a registry key (ImageRef::auth_key(): "https://index.docker.io/v1/"
  // or "host[:port]"): credHelpers[key] → docker-credential-<helper> get; else credsStore →
  // same; else auths[key].auth (base64 "user:pass") / identitytoken. auths keys written as
  // "https://host" or "http://host/v2/" match the bare host. No config file or no entry →
  // std::nullopt. A helper's "credentials not found" → nullopt. A failing helper → error
  // with its message. Username "<token>" from a helper means Secret is an identity token.
  Result<std::optional<RegistryCredentials>> lookup(std::string_view registry_key) const;

  // X-Registry-Auth value: base64url JSON {"username","password","serveraddress"} or
  // {"identitytoken",...}; "e30=" (= {}) when none.
  static std::string header_value(const std::optional<RegistryCredentials>& credentials);

  // X-Registry-Config value for builds: base64url JSON {"<registry key>": {...}, ...}.
  static std::string config_header_value(
      const std::map<std::string, RegistryCredentials>& by_registry);

  // How long a credential helper may take (default 10 s).
  void set_helper_timeout(std::chrono::milliseconds timeout) { helper_timeout_ = timeout; }

  [[nodiscard]] const std::filesystem::path& config_file() const { return config_file_; }

 private:
  Result<std::optional<RegistryCredentials>> from_helper(const std::string& helper,
                                                         std::string_view registry_key) const;

  std::filesystem::path config_file_;
  std::chrono::milliseconds helper_timeout_{std::chrono::seconds(10)};
};

// "https://Host:5000/v2/" → "host:5000": the form auths keys are compared in.
std::string normalize_registry_key(std::string_view key);

}  // namespace deepdock::adapters::docker
