// DockerEngine: what flows in and out of a running container: logs, exec, and files
// copied as tar archives.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "adapters/docker/archive.hpp"
#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/engine_errors.hpp"
#include "adapters/docker/engine_json.hpp"
#include "adapters/docker/engine_request.hpp"
#include "adapters/docker/multiplexed_stream.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

using core::HttpMethod;
using core::HttpRequest;
using core::HttpResponse;
using nlohmann::json;

constexpr std::string_view kMultiplexed = "application/vnd.docker.multiplexed-stream";
constexpr std::string_view kRaw = "application/vnd.docker.raw-stream";
// Archives can be large; they are not streams, but give them time.
constexpr std::chrono::minutes kArchiveTimeout{10};
// The exec's output ends a moment before the engine marks it finished.
constexpr std::chrono::milliseconds kExecPollInterval{50};
constexpr int kExecPolls = 100;

// Whether a logs answer is framed, from its Content-Type (API 1.42+); nullopt when absent.
std::optional<bool> multiplexed_by_content_type(const HttpResponse& response) {
  const std::string type = response.header("Content-Type");
  if (type.find(kMultiplexed) != std::string::npos) {
    return true;
  }
  if (type.find(kRaw) != std::string::npos) {
    return false;
  }
  return std::nullopt;
}

// The stream decoder for logs: frames, or raw bytes (Tty) passed on as stdout.
StreamTap::Feed log_feed(bool multiplexed, MultiplexedStreamDecoder& decoder,
                         const core::OutputFn& output) {
  if (multiplexed) {
    return [&decoder](std::string_view chunk) { return decoder.feed(chunk); };
  }
  return [&output](std::string_view chunk) -> Status {
    output(core::StreamKind::kStdout, chunk);
    return {};
  };
}

}  // namespace

Result<bool> DockerEngine::container_tty(std::string_view id) {
  TRY_ASSIGN(const core::ContainerInfo info, inspect_container(id));
  return info.tty;
}

Status DockerEngine::container_logs(std::string_view id, const core::LogOptions& options,
                                    const core::OutputFn& output) {
  const std::string action = fmt::format("reading the logs of container {}", id);
  const core::OutputFn sink = output ? output : [](core::StreamKind, std::string_view) {};
  Query query;
  query.add("stdout", true).add("stderr", true).add("follow", options.follow);
  query.add("tail", options.tail.empty() ? "all" : options.tail);
  query.add("timestamps", options.timestamps);
  HttpRequest request{.target =
                          fmt::format("/containers/{}/logs{}", path_segment(id), query.str())};
  MultiplexedStreamDecoder decoder(sink);

  if (!options.follow) {
    // The whole answer first, so its Content-Type can pick the decoder.
    request.timeout = kArchiveTimeout;
    TRY_ASSIGN(const HttpResponse response, call(std::move(request), action));
    std::optional<bool> multiplexed = multiplexed_by_content_type(response);
    if (!multiplexed) {
      TRY_ASSIGN(const bool tty, container_tty(id));
      multiplexed = !tty;
    }
    const auto feed = log_feed(*multiplexed, decoder, sink);
    if (auto fed = feed(response.body); !fed) {
      return fail(fed.error().context(action));
    }
  } else {
    // Following streams before the headers can be seen: the container's Tty decides, which
    // is also what the engine's Content-Type is derived from.
    TRY_ASSIGN(const bool tty, container_tty(id));
    StreamTap tap(log_feed(!tty, decoder, sink));
    request.on_body = tap.sink();
    request.timeout = std::chrono::milliseconds::zero();
    TRY_ASSIGN(const HttpResponse response, send(std::move(request), action));
    if (!response.ok()) {
      return fail(http_error(response.status, tap.head().empty() ? response.body : tap.head(),
                             action, endpoint()));
    }
    if (tap.feed_error()) {
      return fail(tap.feed_error()->context(action));
    }
    if (!tty) {
      if (auto finished = decoder.finish(); !finished) {
        return fail(finished.error().context(action));
      }
    }
    return {};
  }
  if (auto finished = decoder.finish(); !finished) {
    return fail(finished.error().context(action));
  }
  return {};
}

Result<core::ExecResult> DockerEngine::exec(std::string_view id, const core::ExecSpec& spec,
                                            const core::OutputFn& output) {
  const std::string action =
      fmt::format("running `{}` in container {}", describe_command(spec.cmd), id);
  if (spec.cmd.empty()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: no command given", action));
  }
  json create = {{"AttachStdin", false},
                 {"AttachStdout", true},
                 {"AttachStderr", true},
                 {"Tty", false},
                 {"Cmd", spec.cmd}};
  if (!spec.env.empty()) {
    create["Env"] = spec.env;
  }
  if (!spec.working_dir.empty()) {
    create["WorkingDir"] = spec.working_dir;
  }
  if (!spec.user.empty()) {
    create["User"] = spec.user;
  }
  HttpRequest create_request{.method = HttpMethod::kPost,
                             .target = fmt::format("/containers/{}/exec", path_segment(id)),
                             .headers = {{"Content-Type", "application/json"}},
                             .body = create.dump()};
  TRY_ASSIGN(const HttpResponse created, call(std::move(create_request), action));
  TRY_ASSIGN(const json created_json, parse_json_body(created.body, action));
  const std::string exec_id = created_json.value("Id", std::string());
  if (exec_id.empty()) {
    return fail(ErrorCode::kFailure, fmt::format("{}: the engine returned no exec id", action));
  }

  // Without a hijack (Upgrade: tcp) the engine answers 200 and streams the framed output
  // until the process ends.
  core::ExecResult result;
  MultiplexedStreamDecoder decoder(
      [&result, &output](core::StreamKind kind, std::string_view data) {
        (kind == core::StreamKind::kStderr ? result.stderr_text : result.stdout_text).append(data);
        if (output) {
          output(kind, data);
        }
      });
  StreamTap tap([&decoder](std::string_view chunk) { return decoder.feed(chunk); });
  HttpRequest start{.method = HttpMethod::kPost,
                    .target = fmt::format("/exec/{}/start", path_segment(exec_id)),
                    .headers = {{"Content-Type", "application/json"}},
                    .body = json{{"Detach", false}, {"Tty", false}}.dump(),
                    .on_body = tap.sink(),
                    .timeout = std::chrono::milliseconds::zero()};
  TRY_ASSIGN(const HttpResponse started, send(std::move(start), action));
  if (!started.ok()) {
    return fail(http_error(started.status, tap.head().empty() ? started.body : tap.head(), action,
                           endpoint()));
  }
  if (tap.feed_error()) {
    return fail(tap.feed_error()->context(action));
  }
  if (auto finished = decoder.finish(); !finished) {
    return fail(finished.error().context(action));
  }
  TRY_ASSIGN(result.exit_code, exec_exit_code(exec_id, action));
  log::debug("docker: exec {} in {} exited {}", exec_id, id, result.exit_code);
  return result;
}

Result<int64_t> DockerEngine::exec_exit_code(const std::string& exec_id, std::string_view action) {
  for (int poll = 0; poll < kExecPolls; ++poll) {
    TRY_ASSIGN(const HttpResponse response,
               call({.target = fmt::format("/exec/{}/json", path_segment(exec_id))}, action));
    TRY_ASSIGN(const json state, parse_json_body(response.body, action));
    const auto code = state.find("ExitCode");
    if (!state.value("Running", false) && code != state.end() && code->is_number()) {
      return code->get<int64_t>();
    }
    if (!util::sleep_unless_cancelled(kExecPollInterval)) {
      return fail(ErrorCode::kCancelled, fmt::format("{}: cancelled", action));
    }
  }
  return fail(
      ErrorCode::kTimeout,
      fmt::format("{}: the output ended but the engine still reports the command running", action));
}

Status DockerEngine::put_archive(std::string_view id, std::string_view container_dir,
                                 std::string tar, std::string_view action) {
  Query query;
  query.add("path", container_dir);
  HttpRequest request{
      .method = HttpMethod::kPut,
      .target = fmt::format("/containers/{}/archive{}", path_segment(id), query.str()),
      .headers = {{"Content-Type", "application/x-tar"}},
      .body = std::move(tar),
      .timeout = kArchiveTimeout};
  TRY(call(std::move(request), action));
  return {};
}

Status DockerEngine::copy_to_container(std::string_view id, const std::filesystem::path& host_path,
                                       std::string_view container_dir) {
  const std::string action =
      fmt::format("copying {} into {} of container {}", host_path.string(), container_dir, id);
  auto tar = tar_path(host_path);
  if (!tar) {
    return fail(tar.error().context(action));
  }
  return put_archive(id, container_dir, std::move(*tar), action);
}

Status DockerEngine::put_file(std::string_view id, std::string_view container_path,
                              std::string_view content, uint32_t mode) {
  const std::string action = fmt::format("writing {} in container {}", container_path, id);
  const size_t slash = container_path.rfind('/');
  if (container_path.empty() || container_path.front() != '/' ||
      slash + 1 == container_path.size()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{}: the path must be absolute and name a file", action));
  }
  const std::string_view dir = slash == 0 ? std::string_view("/") : container_path.substr(0, slash);
  auto tar = tar_single_file(container_path.substr(slash + 1), content, mode);
  if (!tar) {
    return fail(tar.error().context(action));
  }
  return put_archive(id, dir, std::move(*tar), action);
}

Status DockerEngine::copy_from_container(std::string_view id, std::string_view container_path,
                                         const std::filesystem::path& host_dir) {
  const std::string action =
      fmt::format("copying {} out of container {} into {}", container_path, id, host_dir.string());
  Query query;
  query.add("path", container_path);
  HttpRequest request{
      .target = fmt::format("/containers/{}/archive{}", path_segment(id), query.str()),
      .timeout = kArchiveTimeout};
  TRY_ASSIGN(const HttpResponse response, call(std::move(request), action));
  if (auto unpacked = untar_to(response.body, host_dir); !unpacked) {
    return fail(unpacked.error().context(action));
  }
  return {};
}

}  // namespace deepdock::adapters::docker
