#include "cli/ssh_connection.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "adapters/host/state_dir.hpp"
#include "cli/gcp_ssh_access.hpp"
#include "cli/spec_loader.hpp"

namespace deepdock::cli {

Result<std::optional<core::SshTarget>> ssh_target_of(const std::string& host_flag,
                                                     const std::string& spec_file) {
  if (!host_flag.empty()) {
    TRY_ASSIGN(core::SshTarget target, core::SshTarget::parse(host_flag));
    return std::optional<core::SshTarget>(std::move(target));
  }
  TRY_ASSIGN(const LoadedSpec loaded, load_spec(spec_file));
  if (loaded.spec.target.kind == core::TargetKind::kGcp) {
    // The VM `up` created: its address is recorded, as it changes when the VM restarts.
    adapters::host::StateDir store(adapters::host::StateDir::default_dir());
    TRY_ASSIGN(auto target, recorded_gcp_target(store, loaded.spec.name));
    if (!target) {
      return fail(ErrorCode::kPrecondition,
                  fmt::format("{} targets a Google Cloud VM, and none is recorded for "
                              "environment '{}' on this machine",
                              loaded.origin, loaded.spec.name),
                  "run `deepdock up` to create it (or start it again)");
    }
    return target;
  }
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
  apply_gcp_access(options);
  return std::make_unique<adapters::host::SshExecutor>(std::move(options));
}

}  // namespace deepdock::cli
