#pragma once
// API version negotiation, as the Docker Go client does it: read `Api-Version` from
// `/_ping` (empty means 1.24), speak min(our maximum, the server's), and refuse engines
// older than our minimum. A version pinned with DOCKER_API_VERSION is used as given.

#include <optional>
#include <string>

#include "core/model/api_version.hpp"
#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

struct PingInfo {
  core::ApiVersion server_api{1, 24};
  bool is_podman = false;  // podman's compat API adds `Libpod-Api-Version`
};

struct SupportedApi {
  core::ApiVersion min;
  core::ApiVersion max;
};

// Reads the headers of a `/_ping` answer.
Result<PingInfo> parse_ping(const core::HttpResponse& response, std::string_view endpoint);

// The version to speak, or kPrecondition when the server is older than `supported.min`
// (kInvalidInput when the pinned version is).
Result<core::ApiVersion> negotiate_api(const PingInfo& ping, const SupportedApi& supported,
                                       const std::optional<core::ApiVersion>& pinned,
                                       std::string_view endpoint);

}  // namespace deepdock::adapters::docker
