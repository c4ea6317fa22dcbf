#pragma once
// HostExecutor: runs programs on the machine a target names, this one or one reached over
// SSH, as argument vectors. Over SSH the vector is quoted into the one command line the
// remote shell reads with util::shell_quote; nothing else builds a shell string. The real
// adapters are adapters/host (LocalExecutor, SshExecutor); tests use a fake.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace deepdock::core {

struct HostCommand {
  std::vector<std::string> argv;
  std::string stdin_data;  // fed to the program's stdin, then closed
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};
};

struct HostCommandResult {
  int exit_code = 0;  // 128 + signal when the program was killed
  std::string stdout_text;
  std::string stderr_text;
};

class HostExecutor {
 public:
  virtual ~HostExecutor() = default;

  // Where commands run, for messages: "this machine", "ssh://whale@203.0.113.7".
  [[nodiscard]] virtual std::string where() const = 0;

  // Runs the command and captures its output. A non-zero exit is a result; errors are the
  // host being unreachable (kPrecondition, with the fix in the hint), the program missing,
  // a timeout and cancellation.
  virtual Result<HostCommandResult> run(const HostCommand& command) = 0;

  // Runs the command with each output line (stdout and stderr merged) handed to on_line as
  // it arrives; returns the exit code. For long steps (apt-get, a driver install).
  virtual Result<int> run_streaming(const HostCommand& command,
                                    const std::function<void(std::string_view)>& on_line) = 0;
};

}  // namespace deepdock::core
