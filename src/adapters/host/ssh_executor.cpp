#include "adapters/host/ssh_executor.hpp"

#include <fmt/format.h>

#include <deque>
#include <system_error>

#include "adapters/host/process.hpp"
#include "adapters/host/streaming_process.hpp"

namespace deepdock::adapters::host {
namespace {

// ssh's own failures (no connection, a refused login) end with status 255.
constexpr int kSshFailure = 255;
constexpr size_t kKeptLines = 20;

}  // namespace

SshExecutor::SshExecutor(SshOptions options) : options_(std::move(options)) {}

Status SshExecutor::prepare_control_dir() {
  if (control_dir_ready_) {
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(options_.control_dir, ec);
  if (!ec) {
    std::filesystem::permissions(options_.control_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (ec) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot prepare {} for the ssh connection: {}",
                            options_.control_dir.string(), ec.message()),
                "deepdock keeps its ssh connections in its state directory (DEEPDOCK_STATE_DIR)");
  }
  control_dir_ready_ = true;
  return {};
}

Status SshExecutor::connect() {
  TRY_ASSIGN(
      const core::HostCommandResult ran,
      run({.argv = {"true"}, .timeout = options_.connect_timeout + std::chrono::seconds(10)}));
  if (ran.exit_code != 0) {
    return fail(ErrorCode::kFailure, fmt::format("{} could not run `true` (exit code {}): {}",
                                                 where(), ran.exit_code, ran.stderr_text));
  }
  return {};
}

Result<core::HostCommandResult> SshExecutor::run(const core::HostCommand& command) {
  TRY(prepare_control_dir());
  TRY_ASSIGN(const ProcessResult ran, run_process(ssh_command_argv(options_, command.argv),
                                                  command.stdin_data, command.timeout));
  if (ran.exit_code == kSshFailure) {
    return fail(ssh_error(options_, ran.stderr_text));
  }
  return core::HostCommandResult{ran.exit_code, ran.stdout_text, ran.stderr_text};
}

Result<int> SshExecutor::run_streaming(const core::HostCommand& command,
                                       const std::function<void(std::string_view)>& on_line) {
  TRY(prepare_control_dir());
  std::deque<std::string> last;
  TRY_ASSIGN(const int exit_code, run_streaming_process(ssh_command_argv(options_, command.argv),
                                                        [&](std::string_view line) {
                                                          last.emplace_back(line);
                                                          if (last.size() > kKeptLines) {
                                                            last.pop_front();
                                                          }
                                                          on_line(line);
                                                        }));
  if (exit_code == kSshFailure) {
    std::string tail;
    for (const std::string& line : last) {
      tail += line + "\n";
    }
    return fail(ssh_error(options_, tail));
  }
  return exit_code;
}

Result<std::filesystem::path> SshExecutor::forward_socket(const std::string& remote_path,
                                                          const std::string& name) {
  TRY(connect());
  const std::filesystem::path local =
      options_.control_dir / fmt::format("{}-{}.sock", options_.target.slug(), name);
  const auto argv = ssh_control_argv(options_, "forward",
                                     {"-L", fmt::format("{}:{}", local.string(), remote_path)});
  TRY_ASSIGN(const ProcessResult ran, run_process(argv, "", options_.connect_timeout));
  if (ran.exit_code != 0) {
    Error error = ssh_error(options_, ran.stderr_text);
    error.message = fmt::format("cannot forward {} of {}: {}", remote_path, where(), error.message);
    return fail(std::move(error));
  }
  return local;
}

Status SshExecutor::forward_port(uint16_t local_port, uint16_t remote_port) {
  TRY(connect());
  const auto argv =
      ssh_control_argv(options_, "forward",
                       {"-L", fmt::format("127.0.0.1:{}:127.0.0.1:{}", local_port, remote_port)});
  TRY_ASSIGN(const ProcessResult ran, run_process(argv, "", options_.connect_timeout));
  if (ran.exit_code != 0) {
    Error error = ssh_error(options_, ran.stderr_text);
    error.message = fmt::format("cannot tunnel 127.0.0.1:{} to port {} of {}: {}", local_port,
                                remote_port, where(), error.message);
    return fail(std::move(error));
  }
  return {};
}

Status SshExecutor::hold() {
  // A session through the master keeps it (and the forwards it carries) from closing when
  // idle; `ssh -N` would not, since a multiplexed -N client leaves at once. The host's
  // side writes a line every few seconds, so it ends soon after this side is gone (its
  // next write fails) instead of lingering.
  TRY_ASSIGN(const int code, run_streaming({.argv = {"sh", "-c", "while echo; do sleep 5; done"}},
                                           [](std::string_view) {}));
  if (code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("the connection to {} ended (ssh exit status {})", where(), code));
  }
  return {};
}

bool SshExecutor::connected() {
  const auto ran = run_process(ssh_control_argv(options_, "check"), "", options_.connect_timeout);
  return ran && ran->exit_code == 0;
}

Status SshExecutor::disconnect() {
  TRY_ASSIGN(const ProcessResult ran,
             run_process(ssh_control_argv(options_, "exit"), "", options_.connect_timeout));
  (void)ran;  // no master running is as good as a closed one
  return {};
}

}  // namespace deepdock::adapters::host
