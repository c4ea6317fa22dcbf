#include "adapters/host/local_executor.hpp"

#include "adapters/host/process.hpp"
#include "adapters/host/streaming_process.hpp"

namespace deepdock::adapters::host {

Result<core::HostCommandResult> LocalExecutor::run(const core::HostCommand& command) {
  TRY_ASSIGN(const ProcessResult ran,
             run_process(command.argv, command.stdin_data, command.timeout));
  return core::HostCommandResult{ran.exit_code, ran.stdout_text, ran.stderr_text};
}

Result<int> LocalExecutor::run_streaming(const core::HostCommand& command,
                                         const std::function<void(std::string_view)>& on_line) {
  return run_streaming_process(command.argv, on_line);
}

}  // namespace deepdock::adapters::host
