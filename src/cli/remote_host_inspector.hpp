#pragma once
// The host inspector of `deepdock doctor` on an SSH host: the deepdock copied there (the
// bootstrap's bundle, installed if missing) reads that host's files with the same local
// inspector and prints them as JSON (`doctor --facts`), which this side judges with the
// engine it reaches through the forwarded socket and the spec it has.

#include <optional>
#include <string>

#include "adapters/host/ssh_executor.hpp"
#include "core/ports/host_inspector.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

class RemoteHostInspector : public core::HostInspector {
 public:
  RemoteHostInspector(adapters::host::SshExecutor& ssh, bool sudo) : ssh_(ssh), sudo_(sudo) {}

  // The facts, or (when they could not be read) empty facts with error() set: the port
  // cannot fail, so the command checks error() after judging.
  core::HostDiagnosisFacts inspect(const std::string& images_dir) override;
  [[nodiscard]] const std::optional<Error>& error() const { return error_; }

 private:
  Result<core::HostDiagnosisFacts> read(const std::string& images_dir);

  adapters::host::SshExecutor& ssh_;
  bool sudo_;
  std::optional<Error> error_;
};

}  // namespace deepdock::cli
