#pragma once
// Idle auto-stop of a cloud VM: a GPU VM left running costs money, so with the spec's
// target.gcp.idle_stop_minutes N > 0 a systemd timer runs `deepdock idle-check` (the
// deepdock installed on the host by app/host_agent) every minute, and the VM powers itself
// off after N minutes with no activity (app/idle_monitor says what activity is). On Google
// Cloud a guest poweroff leaves the instance TERMINATED: no GPU or CPU charges, the disk
// kept, and `deepdock up` starts it again.
//
// With N == 0 the step makes sure no such timer is left from an earlier spec; a host whose
// idle stop deepdock does not manage (nullopt: local and SSH hosts) gets no step at all.

#include <optional>

#include "core/bootstrap/bootstrap_plan.hpp"

namespace deepdock::core {

inline constexpr const char* kIdleStopService = "deepdock-idle-stop.service";
inline constexpr const char* kIdleStopTimer = "deepdock-idle-stop.timer";
// The launcher app/host_agent installs (app::kHostLauncher); the step cannot work without it.
inline constexpr const char* kIdleCheckLauncher = "/var/lib/deepdock/bin/deepdock";
// Where `deepdock idle-check` keeps the time of the last activity between its runs.
inline constexpr const char* kIdleStateDir = "/var/lib/deepdock/idle";

// The "idle-stop" step for options.idle_stop_minutes (none when it is nullopt, or when it
// is 0 on a host without systemd, where no timer can have been installed), without its
// hash: plan_bootstrap computes it. kIncompatible for N > 0 on a host without systemd.
Result<std::optional<BootstrapStep>> idle_stop_step(const BootstrapHost& host,
                                                    const BootstrapOptions& options);

// The units the step writes, for the tests and `--explain`.
std::string idle_stop_service_unit(int minutes, const std::vector<uint16_t>& ports);
std::string idle_stop_timer_unit(int minutes);

}  // namespace deepdock::core
