#include "adapters/docker/engine_errors.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/docker/gpu_errors.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

constexpr size_t kMaxQuotedBody = 512;

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// A GPU failure: what is wrong in our words, then the engine's own, for searching.
Error gpu_failure(Error gpu, std::string_view message, std::string_view action) {
  gpu.message = fmt::format("{}: {} (the engine said: {})", action, gpu.message, message);
  return gpu;
}

// Registry failures a pull or push reports, either as an HTTP error or inside the stream.
std::optional<Error> classify_registry_error(std::string_view message, std::string_view action) {
  const std::string text = fmt::format("{}: {}", action, message);
  if (contains(message, "pull access denied") || contains(message, "repository does not exist") ||
      contains(message, "manifest unknown") || contains(message, "not found: manifest")) {
    return Error{ErrorCode::kNotFound, text,
                 "check the image name and tag; a private registry needs credentials "
                 "(`docker login <registry>`)"};
  }
  if (contains(message, "unauthorized") || contains(message, "authentication required") ||
      contains(message, "denied: ") ||
      contains(message,
               "requested access to the resource is "
               "denied")) {
    return Error{ErrorCode::kPermissionDenied, text,
                 "log in to the registry (`docker login <registry>`, or a credential helper in "
                 "~/.docker/config.json); deepdock uses the same credentials"};
  }
  if (contains(message, "server gave HTTP response to HTTPS client")) {
    return Error{ErrorCode::kPrecondition, text,
                 "the registry speaks plain HTTP: add it to \"insecure-registries\" in "
                 "/etc/docker/daemon.json and restart docker, or serve it over TLS"};
  }
  if (contains(message, "connection refused") || contains(message, "no such host") ||
      contains(message, "i/o timeout") || contains(message, "TLS handshake timeout") ||
      contains(message, "Client.Timeout exceeded")) {
    return Error{ErrorCode::kUnavailable, text,
                 "the engine could not reach the registry: check the network, DNS and proxy "
                 "settings of dockerd, then retry"};
  }
  return std::nullopt;
}

}  // namespace

std::string daemon_message(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_discarded() && json.is_object()) {
    const auto it = json.find("message");
    if (it != json.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  std::string text(util::trim(body));
  if (text.size() > kMaxQuotedBody) {
    text.resize(kMaxQuotedBody);
    text += "...";
  }
  return text;
}

Error http_error(int status, std::string_view body, std::string_view action,
                 std::string_view endpoint) {
  std::string message = daemon_message(body);
  if (message.empty()) {
    message = fmt::format("the engine answered HTTP {}", status);
  }
  const std::string text = fmt::format("{}: {}", action, message);

  if (status == 400 && contains(message, "client version") &&
      (contains(message, "too old") || contains(message, "too new"))) {
    return Error{ErrorCode::kPrecondition,
                 fmt::format("{}: the Docker engine at {} refused deepdock's API version: {}",
                             action, endpoint, message),
                 "unset DOCKER_API_VERSION so deepdock negotiates the version, or upgrade the "
                 "engine (deepdock needs API 1.41, Docker 20.10, or newer)"};
  }
  if (status >= 400) {
    if (auto gpu = classify_gpu_error(message)) {
      return gpu_failure(std::move(*gpu), message, action);
    }
  }
  switch (status) {
    case 400:
      return Error{ErrorCode::kInvalidInput, text, {}};
    case 401:
    case 403:
      if (auto registry = classify_registry_error(message, action)) {
        return *registry;
      }
      return Error{ErrorCode::kPermissionDenied, text, {}};
    case 404:
      if (auto registry = classify_registry_error(message, action)) {
        return *registry;
      }
      return Error{ErrorCode::kNotFound, text, {}};
    case 409:
      return Error{ErrorCode::kConflict, text, {}};
    case 503:
      return Error{ErrorCode::kUnavailable, text, "the engine is busy or shutting down; retry"};
    default:
      break;
  }
  if (status >= 500) {
    if (auto registry = classify_registry_error(message, action)) {
      return *registry;
    }
  }
  return Error{ErrorCode::kFailure, text, {}};
}

Error transport_error(const Error& error, std::string_view action, std::string_view endpoint) {
  switch (error.code) {
    case ErrorCode::kUnavailable:
      return Error{ErrorCode::kPrecondition,
                   fmt::format("{}: cannot reach the Docker engine at {} ({})", action, endpoint,
                               error.message),
                   "is dockerd running? `sudo systemctl start docker`, or set DOCKER_HOST to the "
                   "engine's socket"};
    case ErrorCode::kPermissionDenied:
      return Error{ErrorCode::kPermissionDenied,
                   fmt::format("{}: permission denied on the Docker engine socket {} ({})", action,
                               endpoint, error.message),
                   "add yourself to the docker group: `sudo usermod -aG docker $USER`, then log "
                   "out and in again (or run deepdock with sudo)"};
    case ErrorCode::kTimeout:
      return Error{ErrorCode::kTimeout,
                   fmt::format("{}: the Docker engine at {} did not answer in time ({})", action,
                               endpoint, error.message),
                   error.hint.empty() ? "check that dockerd is healthy (`docker info`), then retry"
                                      : error.hint};
    default:
      return error.context(action);
  }
}

Error stream_error(const Error& error, std::string_view action) {
  if (auto gpu = classify_gpu_error(error.message)) {
    return gpu_failure(std::move(*gpu), error.message, action);
  }
  if (auto registry = classify_registry_error(error.message, action)) {
    return *registry;
  }
  return error.context(action);
}

}  // namespace deepdock::adapters::docker
