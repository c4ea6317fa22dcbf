#pragma once
// HostExecutor for this machine: the same argument vectors run by the local process runner.

#include "core/ports/host_executor.hpp"

namespace deepdock::adapters::host {

class LocalExecutor : public core::HostExecutor {
 public:
  [[nodiscard]] std::string where() const override { return "this machine"; }
  Result<core::HostCommandResult> run(const core::HostCommand& command) override;
  Result<int> run_streaming(const core::HostCommand& command,
                            const std::function<void(std::string_view)>& on_line) override;
};

}  // namespace deepdock::adapters::host
