#include "cli/engine_factory.hpp"

#include <fmt/format.h>

#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/endpoint.hpp"
#include "adapters/http/curl_transport.hpp"
#include "util/log.hpp"

namespace deepdock::cli {

using adapters::docker::EngineEndpoint;

Result<std::unique_ptr<core::ContainerEngine>> connect_engine() {
  const auto env = adapters::docker::process_env();
  const auto config_dir = adapters::docker::docker_config_dir(env);
  TRY_ASSIGN(const EngineEndpoint endpoint, adapters::docker::resolve_endpoint(env, config_dir));
  log::debug("container engine: {} (from {})", endpoint.display(), endpoint.source);

  if (endpoint.kind == EngineEndpoint::Kind::kSsh) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} points at {}: engines over ssh:// are reached through a deepdock "
                            "ssh target, not DOCKER_HOST",
                            endpoint.source, endpoint.display()),
                "unset DOCKER_HOST and set `target: {kind: ssh, host: ssh://user@host}` in "
                "deepdock.yaml");
  }

  adapters::http::TransportConfig transport;
  if (endpoint.kind == EngineEndpoint::Kind::kUnix) {
    transport.unix_socket = endpoint.unix_path;
    transport.base_url = "http://localhost";
  } else {
    transport.base_url = endpoint.url;
    transport.ca_file = endpoint.ca_file;
    transport.cert_file = endpoint.cert_file;
    transport.key_file = endpoint.key_file;
    transport.verify_peer = endpoint.tls_verify;
  }

  adapters::docker::DockerEngineOptions options;
  options.docker_config_dir = config_dir;
  options.endpoint_display = endpoint.display();
  if (auto pinned = env("DOCKER_API_VERSION"); pinned && !pinned->empty()) {
    const auto version = core::ApiVersion::parse(*pinned);
    if (!version) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("DOCKER_API_VERSION=\"{}\" is not an API version", *pinned),
                  "use the form 1.41, or unset DOCKER_API_VERSION to negotiate");
    }
    options.pinned_api = *version;
  }
  return std::make_unique<adapters::docker::DockerEngine>(
      std::make_unique<adapters::http::CurlTransport>(std::move(transport)), std::move(options));
}

}  // namespace deepdock::cli
