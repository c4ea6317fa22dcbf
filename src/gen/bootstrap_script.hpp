#pragma once
// A bootstrap plan (core/bootstrap) as a POSIX shell script that runs as root on the host
// itself, with the same checkpoints as `deepdock bootstrap` (/var/lib/deepdock/bootstrap/<id>
// holding the step's hash), so either can finish what the other started:
//   `sh bootstrap.sh run`: each step not yet done is checked, applied when its checks fail,
//   and recorded; a step that needs a reboot reboots once and the script, run again at boot
//   (as cloud startup scripts are), goes on from there;
//   `sh bootstrap.sh check`: every step's checks run again, whatever the records say, and a
//   step whose effect drifted (a driver upgraded away, an engine stopped) is applied again.
// `deepdock bootstrap --emit startup-script` prints it; the systemd unit installed by the
// boot-check step runs it with `check` at every boot.

#include <string>
#include <vector>

#include "core/bootstrap/bootstrap_plan.hpp"

namespace deepdock::gen {

// `origin` says in the script's header what it was made for ("ssh://whale@host", "ubuntu
// 22.04 with a Tesla T4").
std::string bootstrap_script(const std::vector<core::BootstrapStep>& steps,
                             const std::string& origin);

// Where the boot-check step installs the script, and the unit that runs it at every boot.
inline constexpr const char* kBootScriptPath = "/var/lib/deepdock/bootstrap.sh";
inline constexpr const char* kBootCheckUnit = "deepdock-bootstrap-check.service";

// The last step on a systemd host: the script of `steps` written to kBootScriptPath and a
// oneshot unit that runs it with `check` at every boot, so drift (a kernel or driver
// upgrade, an engine left stopped) is repaired before anyone needs the host. Its check
// looks for the plan's fingerprint in the installed script: a changed plan installs again.
// `exec_start`, when set, is what the unit runs instead of the script (the deepdock
// installed on the host: `/var/lib/deepdock/bin/deepdock bootstrap --check --on-host`); the
// script is still written, for whoever runs it by hand.
core::BootstrapStep boot_check_step(const std::vector<core::BootstrapStep>& steps,
                                    const std::string& origin, const std::string& exec_start = "");

}  // namespace deepdock::gen
