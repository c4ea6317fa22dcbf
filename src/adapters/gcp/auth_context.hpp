#pragma once
// What the Google Cloud credential sources need from the outside world, injected so that
// tests drive them with fakes: the environment, HTTP transports to a base URL, this
// machine's process runner (for gcloud), the token cache and the clock.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/host_executor.hpp"
#include "core/ports/http_transport.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::adapters::gcp {

inline constexpr std::string_view kCloudPlatformScope =
    "https://www.googleapis.com/auth/cloud-platform";
inline constexpr std::string_view kDefaultTokenUri = "https://oauth2.googleapis.com/token";

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// A transport bound to `base_url` ("https://oauth2.googleapis.com", "http://169.254.169.254");
// the CLI builds a CurlTransport, tests a fake.
using TransportFactory = std::function<std::unique_ptr<core::HttpTransport>(
    const std::string& base_url, std::chrono::milliseconds connect_timeout)>;
using WallClock = std::function<std::chrono::system_clock::time_point()>;

struct AuthContext {
  EnvLookup env;  // null: the process environment
  TransportFactory connect;
  core::HostExecutor* local = nullptr;      // runs gcloud here; null: no gcloud fallback
  core::StateStore* token_cache = nullptr;  // null: tokens are kept in memory only
  WallClock now = [] { return std::chrono::system_clock::now(); };
  std::vector<std::string> scopes{std::string(kCloudPlatformScope)};

  // The variable's value, or nullopt when it is unset or empty.
  [[nodiscard]] std::optional<std::string> getenv(std::string_view name) const;
};

// $CLOUDSDK_CONFIG, else $HOME/.config/gcloud: gcloud's configuration directory, which holds
// the ADC file, active_config and configurations/.
std::filesystem::path gcloud_config_dir(const AuthContext& context);

}  // namespace deepdock::adapters::gcp
