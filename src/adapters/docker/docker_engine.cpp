// DockerEngine: connection and negotiation, the request helpers every operation uses, and
// the container lifecycle. Images are in docker_engine_images.cpp; logs, exec and archives
// in docker_engine_io.cpp.
#include "adapters/docker/docker_engine.hpp"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/docker/api_negotiation.hpp"
#include "adapters/docker/container_json.hpp"
#include "adapters/docker/engine_errors.hpp"
#include "adapters/docker/engine_json.hpp"
#include "adapters/docker/engine_request.hpp"
#include "adapters/docker/json_stream.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::docker {
namespace {

using core::HttpMethod;
using core::HttpRequest;
using core::HttpResponse;
using nlohmann::json;

// Stopping waits up to the container's grace period, then kills; allow that and a margin.
constexpr std::chrono::seconds kStopMargin{30};
// Starting runs the OCI hooks (the NVIDIA hook can take a while with many GPUs).
constexpr std::chrono::seconds kStartTimeout{120};

// Build queries may carry secrets in build args; log only the path for them.
std::string loggable_target(std::string_view target) {
  const size_t query = target.find('?');
  if (query != std::string_view::npos && target.substr(0, query).ends_with("/build")) {
    return fmt::format("{}?<query omitted>", target.substr(0, query));
  }
  return std::string(target);
}

// A transport failure that a GET /_ping cannot cure either.
bool ping_fallback_pointless(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kPermissionDenied ||
         code == ErrorCode::kCancelled || code == ErrorCode::kTimeout;
}

HttpRequest json_request(HttpMethod method, std::string target, const json& body) {
  HttpRequest request{.method = method, .target = std::move(target)};
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = body.dump();
  return request;
}

}  // namespace

DockerEngine::DockerEngine(std::unique_ptr<core::HttpTransport> transport,
                           DockerEngineOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      auth_(options_.docker_config_dir) {
  if (options_.endpoint_display.empty()) {
    options_.endpoint_display = transport_->endpoint();
  }
}

// --- connection --------------------------------------------------------------------------

Result<HttpResponse> DockerEngine::ping(std::string_view action) {
  // HEAD first, as the Go client does; GET when HEAD gets no usable answer.
  const HttpRequest head{.method = HttpMethod::kHead, .target = "/_ping"};
  auto response = transport_->send(head);
  if (response && response->ok()) {
    return response;
  }
  if (!response && ping_fallback_pointless(response.error().code)) {
    return fail(transport_error(response.error(), action, endpoint()));
  }
  log::debug("docker: HEAD /_ping failed ({}); trying GET",
             response ? std::to_string(response->status) : response.error().message);
  const HttpRequest get{.method = HttpMethod::kGet, .target = "/_ping"};
  response = transport_->send(get);
  if (!response) {
    return fail(transport_error(response.error(), action, endpoint()));
  }
  if (!response->ok() && response->header("Api-Version").empty()) {
    return fail(http_error(response->status, response->body,
                           fmt::format("pinging the Docker engine at {}", endpoint()), endpoint()));
  }
  return response;
}

Result<DockerEngine::Connection> DockerEngine::connection(std::string_view action) {
  const std::lock_guard lock(connection_mutex_);
  if (connection_) {
    return *connection_;
  }
  TRY_ASSIGN(const HttpResponse response, ping(action));
  TRY_ASSIGN(const PingInfo ping_info, parse_ping(response, endpoint()));
  TRY_ASSIGN(const core::ApiVersion api,
             negotiate_api(ping_info, {kMinApi, kMaxApi}, options_.pinned_api, endpoint()));
  connection_ = Connection{api, ping_info.server_api, ping_info.is_podman};
  return *connection_;
}

Result<HttpResponse> DockerEngine::send(HttpRequest request, std::string_view action) {
  TRY_ASSIGN(const Connection conn, connection(action));
  request.target = fmt::format("/v{}{}", conn.api.str(), request.target);
  auto response = transport_->send(request);
  if (!response) {
    return fail(transport_error(response.error(), action, endpoint()));
  }
  log::debug("docker: {} {} -> {}", core::to_string(request.method),
             loggable_target(request.target), response->status);
  return response;
}

Result<HttpResponse> DockerEngine::call(HttpRequest request, std::string_view action, int also_ok) {
  TRY_ASSIGN(HttpResponse response, send(std::move(request), action));
  if (!response.ok() && response.status != also_ok) {
    return fail(http_error(response.status, response.body, action, endpoint()));
  }
  return response;
}

Result<std::string> DockerEngine::call_progress_stream(HttpRequest request, std::string_view action,
                                                       const core::ProgressFn& progress) {
  JsonStreamDecoder decoder(progress ? progress : [](const core::ProgressEvent&) {});
  StreamTap tap([&decoder](std::string_view chunk) { return decoder.feed(chunk); });
  request.on_body = tap.sink();
  request.timeout = std::chrono::milliseconds::zero();  // pulls and builds take what they take
  TRY_ASSIGN(const HttpResponse response, send(std::move(request), action));
  if (!response.ok()) {
    // Failures before any output are plain HTTP errors with a JSON body.
    const std::string& body = tap.head().empty() ? response.body : tap.head();
    return fail(http_error(response.status, body, action, endpoint()));
  }
  if (tap.feed_error()) {
    return fail(stream_error(*tap.feed_error(), action));
  }
  // After output has started, the engine reports failure only inside the stream.
  if (auto finished = decoder.finish(); !finished) {
    return fail(stream_error(finished.error(), action));
  }
  return decoder.image_id();
}

Result<core::EngineInfo> DockerEngine::info() {
  const std::string action = fmt::format("describing the Docker engine at {}", endpoint());
  TRY_ASSIGN(const Connection conn, connection(action));
  TRY_ASSIGN(const HttpResponse version, call({.target = "/version"}, action));
  TRY_ASSIGN(const json version_json, parse_json_body(version.body, action));
  TRY_ASSIGN(const HttpResponse system, call({.target = "/info"}, action));
  TRY_ASSIGN(const json system_json, parse_json_body(system.body, action));

  core::EngineInfo info;
  info.endpoint = endpoint();
  read_version(version_json, info);
  read_info(system_json, info);
  info.api_version = conn.api;
  info.server_api_version = conn.server_api;
  info.is_podman = info.is_podman || conn.is_podman;
  log::debug("docker: engine {} (API {}, using {}), runtimes [{}], cgroup driver {}", info.version,
             info.server_api_version.str(), info.api_version.str(), fmt::join(info.runtimes, ", "),
             info.cgroup_driver);
  return info;
}

// --- containers --------------------------------------------------------------------------

Result<std::string> DockerEngine::create_container(const core::ContainerSpec& spec) {
  const std::string action =
      spec.name.empty() ? fmt::format("creating a container from image {}", spec.image)
                        : fmt::format("creating container {} from image {}", spec.name, spec.image);
  TRY_ASSIGN(const Connection conn, connection(action));
  Query query;
  if (!spec.name.empty()) {
    query.add("name", spec.name);
  }
  auto request = json_request(HttpMethod::kPost, "/containers/create" + query.str(),
                              container_create_body(spec, conn.is_podman));
  auto response = call(std::move(request), action);
  if (!response) {
    Error error = response.error();
    if (error.code == ErrorCode::kNotFound && error.hint.empty()) {
      error.hint = fmt::format("pull or build {} first", spec.image);
    }
    return fail(std::move(error));
  }
  TRY_ASSIGN(const json created, parse_json_body(response->body, action));
  const std::string id = created.value("Id", std::string());
  if (id.empty()) {
    return fail(ErrorCode::kFailure,
                fmt::format("{}: the engine returned no container id", action));
  }
  if (const auto warnings = created.find("Warnings");
      warnings != created.end() && warnings->is_array()) {
    for (const auto& warning : *warnings) {
      if (warning.is_string()) {
        log::warn("docker: container {}: {}", spec.name, warning.get<std::string>());
      }
    }
  }
  log::debug("docker: created container {} ({})", spec.name, id);
  return id;
}

Status DockerEngine::start_container(std::string_view id) {
  const std::string action = fmt::format("starting container {}", id);
  HttpRequest request{.method = HttpMethod::kPost,
                      .target = fmt::format("/containers/{}/start", path_segment(id)),
                      .timeout = kStartTimeout};
  TRY(call(std::move(request), action, 304));  // 304: already running
  return {};
}

Result<core::ContainerInfo> DockerEngine::inspect_container(std::string_view id) {
  const std::string action = fmt::format("inspecting container {}", id);
  TRY_ASSIGN(const HttpResponse response,
             call({.target = fmt::format("/containers/{}/json", path_segment(id))}, action));
  TRY_ASSIGN(const json inspect, parse_json_body(response.body, action));
  return parse_container_inspect(inspect);
}

Result<std::vector<core::ContainerSummary>> DockerEngine::list_containers(
    const std::vector<std::string>& labels, bool include_stopped) {
  const std::string action = "listing containers";
  Query query;
  query.add("all", include_stopped);
  if (!labels.empty()) {
    query.add("filters", json{{"label", labels}}.dump());
  }
  TRY_ASSIGN(const HttpResponse response,
             call({.target = "/containers/json" + query.str()}, action));
  TRY_ASSIGN(const json list, parse_json_body(response.body, action));
  std::vector<core::ContainerSummary> out;
  if (list.is_array()) {
    for (const auto& item : list) {
      out.push_back(parse_container_summary(item));
    }
  }
  return out;
}

Result<bool> DockerEngine::network_exists(std::string_view name) {
  const std::string action = fmt::format("inspecting network {}", name);
  TRY_ASSIGN(const HttpResponse response,
             send({.target = fmt::format("/networks/{}", path_segment(name))}, action));
  if (response.status == 404) {
    return false;
  }
  if (!response.ok()) {
    TRY(call({.target = fmt::format("/networks/{}", path_segment(name))}, action));
  }
  return true;
}

Result<int64_t> DockerEngine::wait_container(std::string_view id) {
  const std::string action = fmt::format("waiting for container {}", id);
  HttpRequest request{.method = HttpMethod::kPost,
                      .target = fmt::format("/containers/{}/wait", path_segment(id)),
                      .timeout = std::chrono::milliseconds::zero()};
  TRY_ASSIGN(const HttpResponse response, call(std::move(request), action));
  TRY_ASSIGN(const json waited, parse_json_body(response.body, action));
  if (const auto error = waited.find("Error"); error != waited.end() && error->is_object()) {
    const std::string message = error->value("Message", std::string());
    if (!message.empty()) {
      return fail(ErrorCode::kFailure, fmt::format("{}: {}", action, message));
    }
  }
  const auto code = waited.find("StatusCode");
  if (code == waited.end() || !code->is_number()) {
    return fail(ErrorCode::kFailure, fmt::format("{}: the engine returned no exit code", action));
  }
  return code->get<int64_t>();
}

Status DockerEngine::stop_container(std::string_view id, int timeout_seconds) {
  const std::string action = fmt::format("stopping container {}", id);
  Query query;
  query.add("t", int64_t{timeout_seconds});
  HttpRequest request{.method = HttpMethod::kPost,
                      .target = fmt::format("/containers/{}/stop{}", path_segment(id), query.str()),
                      .timeout = std::chrono::seconds(timeout_seconds) + kStopMargin};
  TRY(call(std::move(request), action, 304));  // 304: already stopped
  return {};
}

Status DockerEngine::remove_container(std::string_view id, bool force, bool remove_volumes) {
  const std::string action = fmt::format("removing container {}", id);
  Query query;
  query.add("force", force).add("v", remove_volumes);
  HttpRequest request{.method = HttpMethod::kDelete,
                      .target = fmt::format("/containers/{}{}", path_segment(id), query.str())};
  TRY(call(std::move(request), action));
  return {};
}

}  // namespace deepdock::adapters::docker
