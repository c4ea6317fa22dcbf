#include "cli/engine_factory.hpp"

#include <fmt/format.h>

#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/endpoint.hpp"
#include "adapters/http/curl_transport.hpp"
#include "cli/ssh_connection.hpp"
#include "util/log.hpp"

namespace deepdock::cli {

using adapters::docker::EngineEndpoint;

namespace {

// The remote engine's socket forwarded to a local one over the shared SSH connection.
Result<EngineEndpoint> forwarded_endpoint(const core::SshTarget& target, std::string source) {
  auto ssh = ssh_executor(target);
  TRY_ASSIGN(const auto local,
             ssh->forward_socket(std::string(adapters::docker::kDefaultDockerSocket), "docker"));
  log::debug("engine of {} forwarded to {}", target.url(), local.string());
  EngineEndpoint endpoint;
  endpoint.kind = EngineEndpoint::Kind::kUnix;
  endpoint.unix_path = local.string();
  endpoint.source = std::move(source);
  return endpoint;
}

}  // namespace

Result<std::unique_ptr<core::ContainerEngine>> connect_engine(const GlobalOptions& global) {
  auto target = ssh_target_of("", global.spec_file);
  if (!target) {
    log::debug("the spec did not load ({}); using the local engine", target.error().message);
    return connect_engine(std::nullopt);
  }
  return connect_engine(*target);
}

Result<std::unique_ptr<core::ContainerEngine>> connect_engine(
    const std::optional<core::SshTarget>& ssh_target) {
  const auto env = adapters::docker::process_env();
  const auto config_dir = adapters::docker::docker_config_dir(env);
  EngineEndpoint endpoint;
  // What messages and `up` call the engine: the remote one's ssh URL, not the local socket.
  std::string display;
  if (ssh_target) {
    TRY_ASSIGN(endpoint, forwarded_endpoint(*ssh_target, "the spec's target"));
    display = ssh_target->url();
  } else {
    TRY_ASSIGN(endpoint, adapters::docker::resolve_endpoint(env, config_dir));
    display = endpoint.display();
    if (endpoint.kind == EngineEndpoint::Kind::kSsh) {
      TRY_ASSIGN(const core::SshTarget target, core::SshTarget::parse(endpoint.url));
      TRY_ASSIGN(endpoint, forwarded_endpoint(target, endpoint.source));
    }
  }
  log::debug("container engine: {} (from {})", display, endpoint.source);

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
  options.endpoint_display = display;
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
