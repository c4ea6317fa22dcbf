#include "core/bootstrap/idle_stop_step.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "core/bootstrap/step_commands.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace deepdock::core {
namespace {

namespace detail = bootstrap_detail;

std::string unit_path(const char* unit) {
  return std::string("/etc/systemd/system/") + unit;
}

// The idle check runs the deepdock installed on the host; a boot script run without it
// (or a host of another architecture) cannot have the timer.
constexpr const char* kNoLauncher =
    "test -x \"$1\" || { echo \"$1 is missing: the idle check runs the deepdock that "
    "deepdock bootstrap installs on the host over SSH\" >&2; exit 1; }";

BootstrapStep idle_stop_on(int minutes, const std::vector<uint16_t>& ports) {
  const std::string service = idle_stop_service_unit(minutes, ports);
  const std::string timer = idle_stop_timer_unit(minutes);
  const std::string service_path = unit_path(kIdleStopService);
  const std::string timer_path = unit_path(kIdleStopTimer);
  // The two files exactly as written: any edit by hand, or a changed N, shows in their hash.
  const std::string units_hash = util::sha256_hex(service + timer);
  return {
      .id = "idle-stop",
      .title = fmt::format("power the VM off after {} minutes with no activity ({})", minutes,
                           kIdleStopTimer),
      .why =
          "a GPU VM left running costs money; a poweroff from inside leaves a Google Cloud "
          "instance TERMINATED (no GPU or CPU charges, the disk kept) and `deepdock up` starts "
          "it again. Activity is a connection to Jupyter or TensorBoard, an SSH connection, or "
          "CPU used by the containers or logged-in users",
      .checks = {detail::check({"test", "-x", kIdleCheckLauncher}),
                 detail::check(
                     {"sh", "-c", "cat \"$1\" \"$2\" | sha256sum", "sh", service_path, timer_path},
                     units_hash),
                 detail::check({"systemctl", "is-enabled", "--quiet", kIdleStopTimer}),
                 detail::check({"systemctl", "is-active", "--quiet", kIdleStopTimer})},
      .apply = {detail::command({"sh", "-c", kNoLauncher, "sh", kIdleCheckLauncher}),
                // The idle time counts from now, not from a check of an earlier setting.
                detail::command({"rm", "-rf", kIdleStateDir}),
                write_file_command(service_path, service), write_file_command(timer_path, timer),
                detail::command({"systemctl", "daemon-reload"}),
                detail::command({"systemctl", "enable", kIdleStopTimer}),
                // restart, not start: a timer already running takes its new settings.
                detail::command({"systemctl", "restart", kIdleStopTimer})}};
}

BootstrapStep idle_stop_off() {
  const std::string service_path = unit_path(kIdleStopService);
  const std::string timer_path = unit_path(kIdleStopTimer);
  return {.id = "idle-stop",
          .title = fmt::format("no idle stop: remove {} if an earlier spec installed it",
                               kIdleStopTimer),
          .why = "the spec's target.gcp.idle_stop_minutes is 0: the VM runs until stopped",
          .checks = {detail::check({"test", "!", "-e", timer_path}),
                     detail::check({"test", "!", "-e", service_path})},
          .apply = {detail::command({"sh", "-c",
                                     "if [ -e \"$1\" ]; then systemctl disable --now \"$2\"; fi",
                                     "sh", timer_path, kIdleStopTimer}),
                    detail::command({"rm", "-f", timer_path, service_path}),
                    detail::command({"rm", "-rf", kIdleStateDir}),
                    detail::command({"systemctl", "daemon-reload"})}};
}

}  // namespace

std::string idle_stop_service_unit(int minutes, const std::vector<uint16_t>& ports) {
  std::vector<std::string> port_texts;
  port_texts.reserve(ports.size());
  for (const uint16_t port : ports) {
    port_texts.push_back(std::to_string(port));
  }
  std::string exec = fmt::format("{} idle-check --minutes {}", kIdleCheckLauncher, minutes);
  if (!port_texts.empty()) {
    exec += " --ports " + util::join(port_texts, ",");
  }
  return fmt::format(
      "[Unit]\nDescription=deepdock: power the VM off after {} minutes with no activity\n\n"
      "[Service]\nType=oneshot\nExecStart={}\n",
      minutes, exec);
}

std::string idle_stop_timer_unit(int minutes) {
  // The first check waits for the boot to settle; a fresh boot is never idle anyway (the
  // idle time counts from the first check of each boot).
  return fmt::format(
      "[Unit]\nDescription=deepdock: look for activity every minute (idle stop after {} "
      "minutes)\n\n"
      "[Timer]\nOnBootSec=5min\nOnUnitActiveSec=1min\nAccuracySec=5s\n\n"
      "[Install]\nWantedBy=timers.target\n",
      minutes);
}

Result<std::optional<BootstrapStep>> idle_stop_step(const BootstrapHost& host,
                                                    const BootstrapOptions& options) {
  if (!options.idle_stop_minutes) {
    return std::optional<BootstrapStep>{};
  }
  const int minutes = *options.idle_stop_minutes;
  if (minutes <= 0) {
    // Without systemd no timer can have been installed: nothing to remove.
    return host.systemd ? std::optional{idle_stop_off()} : std::optional<BootstrapStep>{};
  }
  if (!host.systemd) {
    return fail(ErrorCode::kIncompatible,
                fmt::format("idle_stop_minutes {} needs systemd on the host: it has none", minutes),
                "set target.gcp.idle_stop_minutes to 0, or use an image whose init is systemd "
                "(Google's Ubuntu and Debian images are)");
  }
  return std::optional{idle_stop_on(minutes, options.idle_ports)};
}

}  // namespace deepdock::core
