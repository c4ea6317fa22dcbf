// DockerEngine: a command attached to the caller's terminal or pipes (`deepdock shell`).
// The exec is started on a connection the engine takes over (`Upgrade: tcp`, answered
// 101, or 200 by engines that hijack without upgrading); attached_stream_pump.cpp moves the
// bytes, and the terminal size follows the caller's through /exec/{id}/resize.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/docker/attached_stream_pump.hpp"
#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/engine_errors.hpp"
#include "adapters/docker/engine_json.hpp"
#include "adapters/docker/engine_request.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

using core::HttpMethod;
using core::HttpRequest;
using core::HttpResponse;
using nlohmann::json;

// Exec create and start accept ConsoleSize from API 1.42 (Docker 23); older engines get
// the first size through a resize once the process started.
constexpr core::ApiVersion kConsoleSizeApi{1, 42};

bool has_size(const core::TerminalSize& size) {
  return size.rows > 0 && size.cols > 0;
}

json exec_create_body(const core::AttachedExecSpec& spec, bool console_size) {
  json body = {{"AttachStdin", spec.stdin_fd >= 0},
               {"AttachStdout", true},
               {"AttachStderr", true},
               {"Tty", spec.tty},
               {"Cmd", spec.exec.cmd}};
  if (!spec.exec.env.empty()) {
    body["Env"] = spec.exec.env;
  }
  if (!spec.exec.working_dir.empty()) {
    body["WorkingDir"] = spec.exec.working_dir;
  }
  if (!spec.exec.user.empty()) {
    body["User"] = spec.exec.user;
  }
  if (console_size) {
    body["ConsoleSize"] = {spec.size.rows, spec.size.cols};
  }
  return body;
}

json exec_start_body(const core::AttachedExecSpec& spec, bool console_size) {
  json body = {{"Detach", false}, {"Tty", spec.tty}};
  if (console_size) {
    body["ConsoleSize"] = {spec.size.rows, spec.size.cols};
  }
  return body;
}

bool opened_stream(int status) {
  return status == 101 || (status >= 200 && status < 300);
}

}  // namespace

Result<int64_t> DockerEngine::exec_attached(std::string_view id,
                                            const core::AttachedExecSpec& spec) {
  const std::string action =
      fmt::format("running `{}` attached in container {}", describe_command(spec.exec.cmd), id);
  if (spec.exec.cmd.empty()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: no command given", action));
  }
  TRY_ASSIGN(const Connection conn, connection(action));
  const bool console_size = spec.tty && has_size(spec.size) && conn.api >= kConsoleSizeApi;

  HttpRequest create{.method = HttpMethod::kPost,
                     .target = fmt::format("/containers/{}/exec", path_segment(id)),
                     .headers = {{"Content-Type", "application/json"}},
                     .body = exec_create_body(spec, console_size).dump()};
  TRY_ASSIGN(const HttpResponse created, call(std::move(create), action));
  TRY_ASSIGN(const json created_json, parse_json_body(created.body, action));
  const std::string exec_id = created_json.value("Id", std::string());
  if (exec_id.empty()) {
    return fail(ErrorCode::kFailure, fmt::format("{}: the engine returned no exec id", action));
  }

  // The transport's upgrade does not know the API prefix that send() adds.
  const HttpRequest start{
      .method = HttpMethod::kPost,
      .target = fmt::format("/v{}/exec/{}/start", conn.api.str(), path_segment(exec_id)),
      .headers = {{"Content-Type", "application/json"},
                  {"Connection", "Upgrade"},
                  {"Upgrade", "tcp"}},
      .body = exec_start_body(spec, console_size).dump()};
  auto opened = transport_->open_upgraded(start);
  if (!opened) {
    return fail(transport_error(opened.error(), action, endpoint()));
  }
  core::RawStream& stream = **opened;
  const HttpResponse& answer = stream.response();
  log::debug("docker: POST {} -> {}", start.target, answer.status);
  if (!opened_stream(answer.status)) {
    return fail(http_error(answer.status, answer.body, action, endpoint()));
  }

  // A failed resize (the process just ended, say) is no reason to end the session.
  const auto resize = [&](const core::TerminalSize& size) {
    Query query;
    query.add("h", int64_t{size.rows}).add("w", int64_t{size.cols});
    auto resized =
        call({.method = HttpMethod::kPost,
              .target = fmt::format("/exec/{}/resize{}", path_segment(exec_id), query.str())},
             fmt::format("resizing the terminal of exec {}", exec_id));
    if (!resized) {
      log::debug("docker: {}", resized.error().message);
    }
  };
  if (spec.tty && has_size(spec.size) && !console_size) {
    resize(spec.size);
  }
  const auto on_wake = [&] {
    if (!spec.tty || !spec.resized) {
      return;
    }
    if (const std::optional<core::TerminalSize> size = spec.resized(); size && has_size(*size)) {
      resize(*size);
    }
  };
  const AttachedFds fds{.stdin_fd = spec.stdin_fd,
                        .stdout_fd = spec.stdout_fd,
                        .stderr_fd = spec.stderr_fd,
                        .tty = spec.tty};
  if (auto pumped = pump_attached_stream(stream, fds, on_wake); !pumped) {
    return fail(pumped.error().context(action));
  }
  stream.close();
  TRY_ASSIGN(const int64_t exit_code, exec_exit_code(exec_id, action));
  log::debug("docker: attached exec {} in {} exited {}", exec_id, id, exit_code);
  return exit_code;
}

}  // namespace deepdock::adapters::docker
