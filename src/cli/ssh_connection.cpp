#include "cli/ssh_connection.hpp"

#include <cstdlib>

#include "adapters/host/state_dir.hpp"
#include "cli/spec_loader.hpp"

namespace deepdock::cli {

Result<std::optional<core::SshTarget>> ssh_target_of(const std::string& host_flag,
                                                     const std::string& spec_file) {
  if (!host_flag.empty()) {
    TRY_ASSIGN(core::SshTarget target, core::SshTarget::parse(host_flag));
    return std::optional<core::SshTarget>(std::move(target));
  }
  TRY_ASSIGN(const LoadedSpec loaded, load_spec(spec_file));
  if (loaded.spec.target.kind != core::TargetKind::kSsh) {
    return std::optional<core::SshTarget>();
  }
  TRY_ASSIGN(core::SshTarget target, core::SshTarget::parse(loaded.spec.target.host));
  return std::optional<core::SshTarget>(std::move(target));
}

std::unique_ptr<adapters::host::SshExecutor> ssh_executor(const core::SshTarget& target) {
  adapters::host::SshOptions options;
  options.target = target;
  options.control_dir = adapters::host::StateDir::default_dir() / "ssh";
  if (const char* config = std::getenv("DEEPDOCK_SSH_CONFIG"); config != nullptr) {
    options.config_file = config;
  }
  return std::make_unique<adapters::host::SshExecutor>(std::move(options));
}

}  // namespace deepdock::cli
