#pragma once
// Runs a bootstrap plan (core/bootstrap) on a host through a HostExecutor, resumably: each
// finished step leaves a checkpoint on the host (kBootstrapStateDir/<id> holding the step's
// hash), so a run that was interrupted, or a host that rebooted, goes on from the first
// unfinished step and never repeats one. A step whose effect is already there (its checks
// pass) is recorded without running; a step that ran must pass its checks afterwards. apt
// commands wait for the dpkg lock (unattended-upgrades at boot) instead of failing.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bootstrap/bootstrap_plan.hpp"
#include "core/ports/host_executor.hpp"

namespace deepdock::app {

struct BootstrapStepResult {
  std::string id;
  std::string outcome;  // "done before" (checkpoint), "already there" (checks), "done"
  double seconds = 0;
};

class BootstrapObserver {
 public:
  virtual ~BootstrapObserver() = default;
  virtual void step_started(const core::BootstrapStep& /*step*/, size_t /*index*/,
                            size_t /*total*/) {}
  virtual void line(std::string_view /*text*/) {}  // output of the step's commands
  virtual void step_finished(const BootstrapStepResult& /*result*/) {}
};

struct BootstrapDeps {
  core::HostExecutor& host;
  // Opens a new session after a step changed the user's groups (a no-op locally).
  std::function<Status()> reconnect;
  // Waits until the host answers again after a reboot.
  std::function<Status(std::chrono::seconds timeout)> wait_for_host;
  // Sleeps between retries while another apt holds the dpkg lock.
  std::function<void(std::chrono::seconds)> sleep;
};

struct BootstrapSettings {
  bool as_root_with_sudo = true;  // the login user is not root: commands go through `sudo -n`
  bool can_reboot = true;         // false on this machine: deepdock would reboot itself
  bool recheck = false;           // `--check`: every step's checks run again, records or not, and a
                                  // step whose effect drifted is applied again
  bool reboot_ends_run = false;   // on the host itself: a reboot is started in the background and
                                  // the run ends with kExitRebooting (its caller runs it again)
  std::chrono::seconds lock_wait{600};
  std::chrono::seconds reboot_wait{600};
};

// The exit status of a run on the host that ended to reboot it (`deepdock bootstrap
// --on-host`): the deepdock that started it waits for the new boot and runs it again.
inline constexpr int kExitRebooting = 75;

// The host's boot id (/proc/sys/kernel/random/boot_id): a reboot changes it.
Result<std::string> read_boot_id(core::HostExecutor& host);

// After a reboot was started: waits until the host answers with a boot id other than
// `before`, within settings.reboot_wait.
Status wait_for_new_boot(BootstrapDeps& deps, const BootstrapSettings& settings,
                         const std::string& before);

// Reads what planning needs from the host: os-release, the kernel, the architecture,
// whether systemd runs, and the login user.
Result<core::BootstrapHost> read_bootstrap_host(core::HostExecutor& host);

// Whether the host has every step's checkpoint with its hash: the bootstrap has nothing to
// do. One command reads them all (the checkpoints are readable without root).
Result<bool> bootstrap_recorded(core::HostExecutor& host,
                                const std::vector<core::BootstrapStep>& steps);

Result<std::vector<BootstrapStepResult>> run_bootstrap(
    const std::vector<core::BootstrapStep>& steps, BootstrapDeps& deps,
    const BootstrapSettings& settings, BootstrapObserver& observer);

}  // namespace deepdock::app
