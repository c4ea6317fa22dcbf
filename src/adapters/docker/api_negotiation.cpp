#include "adapters/docker/api_negotiation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {

Result<PingInfo> parse_ping(const core::HttpResponse& response, std::string_view endpoint) {
  PingInfo ping;
  ping.is_podman = !response.header("Libpod-Api-Version").empty();
  const std::string header(util::trim(response.header("Api-Version")));
  if (header.empty()) {
    log::debug("docker: {} sent no Api-Version header; assuming 1.24", endpoint);
    return ping;
  }
  const auto version = core::ApiVersion::parse(header);
  if (!version) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("the engine at {} reports API version \"{}\", which is not a version",
                            endpoint, header),
                "check that DOCKER_HOST points at a Docker (or podman) engine");
  }
  ping.server_api = *version;
  return ping;
}

Result<core::ApiVersion> negotiate_api(const PingInfo& ping, const SupportedApi& supported,
                                       const std::optional<core::ApiVersion>& pinned,
                                       std::string_view endpoint) {
  if (pinned) {
    if (*pinned < supported.min) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("DOCKER_API_VERSION={} is older than API {} that deepdock needs",
                              pinned->str(), supported.min.str()),
                  "unset DOCKER_API_VERSION so deepdock negotiates the version");
    }
    log::debug("docker: using pinned API {} (server speaks {})", pinned->str(),
               ping.server_api.str());
    return *pinned;
  }
  if (ping.server_api < supported.min) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("Docker engine at {} speaks API {}, deepdock needs {} (Docker 20.10) "
                            "or newer",
                            endpoint, ping.server_api.str(), supported.min.str()),
                "upgrade the Docker engine (https://docs.docker.com/engine/install/), or point "
                "DOCKER_HOST at a newer one");
  }
  const core::ApiVersion chosen = std::min(supported.max, ping.server_api);
  log::debug("docker: {} speaks API {}{}; using {}", endpoint, ping.server_api.str(),
             ping.is_podman ? " (podman)" : "", chosen.str());
  return chosen;
}

}  // namespace deepdock::adapters::docker
