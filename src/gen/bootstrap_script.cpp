#include "gen/bootstrap_script.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/sha256.hpp"
#include "util/shell_quote.hpp"

namespace deepdock::gen {
namespace {

constexpr const char* kPrologue = R"SH(set -u
mode=${1:-run}
case "$mode" in run|check) ;; *) echo "usage: $0 [run|check]" >&2; exit 2 ;; esac
state=/var/lib/deepdock/bootstrap
mkdir -p "$state"
log() { echo "deepdock-bootstrap: $*"; }
# Runs an apt or dpkg command, waiting while another one holds the dpkg lock
# (unattended-upgrades at boot) instead of failing.
apt_retry() {
  tries=0
  while :; do
    out=$("$@" 2>&1) && { printf '%s\n' "$out"; return 0; }
    status=$?
    printf '%s\n' "$out"
    case "$out" in *"Could not get lock"*|*"dpkg frontend lock"*) ;; *) return "$status" ;; esac
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || return "$status"
    log "another package manager holds the dpkg lock; waiting"
    sleep 10
  done
}
record() { printf '%s\n' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"; }
# step ID HASH REBOOTS: skips a recorded step (run), checks, applies, checks again, records.
step() {
  id=$1 hash=$2 reboots=$3 fn=$(echo "$1" | tr - _)
  if [ "$mode" = run ] && [ "$(cat "$state/$id" 2>/dev/null)" = "$hash" ]; then
    log "$id: done before"
    return 0
  fi
  if "check_$fn"; then
    record "$id" "$hash"
    log "$id: in place"
    return 0
  fi
  if [ "$reboots" = 1 ]; then
    if [ "$(cat "$state/$id.rebooted" 2>/dev/null)" = "$hash" ]; then
      log "$id: still not in place after a reboot; stopping"
      exit 1
    fi
    record "$id.rebooted" "$hash"
    log "$id: rebooting; this script goes on at the next boot"
    reboot
    exit 0
  fi
  log "$id: applying"
  if ! "apply_$fn" || ! "check_$fn"; then
    log "$id: failed"
    exit 1
  fi
  record "$id" "$hash"
  log "$id: done"
}
)SH";

bool is_apt(const std::vector<std::string>& argv) {
  return std::any_of(argv.begin(), argv.end(), [](const std::string& arg) {
    return arg == "apt-get" || arg == "apt-mark" || arg == "dpkg";
  });
}

std::string function_name(const std::string& id) {
  std::string name = id;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::string check_line(const core::BootstrapCheck& check) {
  const std::string command = util::shell_join(check.command.argv);
  if (check.stdout_contains.empty()) {
    return fmt::format("{} >/dev/null 2>&1", command);
  }
  return fmt::format("{} 2>/dev/null | grep -qF -- {}", command,
                     util::shell_quote(check.stdout_contains));
}

std::string apply_line(const core::HostCommand& command) {
  std::string line = util::shell_join(command.argv);
  if (is_apt(command.argv)) {
    line = "apt_retry " + line;
  }
  if (!command.stdin_data.empty()) {
    line = fmt::format("printf '%s' {} | {}", util::shell_quote(command.stdin_data), line);
  }
  return line + " || return 1";
}

// The plan's fingerprint: the hashes of its steps.
std::string fingerprint(const std::vector<core::BootstrapStep>& steps) {
  std::string hashes;
  for (const core::BootstrapStep& step : steps) {
    hashes += step.id + ":" + step.hash + "\n";
  }
  return util::sha256_hex(hashes).substr(0, 16);
}

}  // namespace

std::string bootstrap_script(const std::vector<core::BootstrapStep>& steps,
                             const std::string& origin) {
  std::string out = fmt::format(
      "#!/bin/sh\n# deepdock bootstrap for {}: {} steps. Run as root: `sh THIS run` (the\n"
      "# default) or `sh THIS check` (re-check every step and repair what drifted).\n"
      "# plan {}\n",
      origin, steps.size(), fingerprint(steps));
  out += kPrologue;
  for (const core::BootstrapStep& step : steps) {
    const std::string fn = function_name(step.id);
    out += fmt::format("\n# {}: {}\n# why: {}\n", step.id, step.title, step.why);
    out += fmt::format("check_{}() {{\n", fn);
    if (step.checks.empty()) {
      out += "  false\n";
    }
    for (size_t i = 0; i < step.checks.size(); ++i) {
      out += fmt::format("  {}{}\n", check_line(step.checks[i]),
                         i + 1 < step.checks.size() ? " || return 1" : "");
    }
    out += "}\n";
    out += fmt::format("apply_{}() {{\n", fn);
    for (const core::HostCommand& command : step.apply) {
      out += fmt::format("  {}\n", apply_line(command));
    }
    out += "}\n";
  }
  out += "\n";
  for (const core::BootstrapStep& step : steps) {
    out += fmt::format("step {} {} {}\n", step.id, step.hash, step.reboots ? 1 : 0);
  }
  out += "log \"all steps in place\"\n";
  return out;
}

core::BootstrapStep boot_check_step(const std::vector<core::BootstrapStep>& steps,
                                    const std::string& origin, const std::string& exec_start) {
  const std::string exec_line =
      "ExecStart=" +
      (exec_start.empty() ? fmt::format("/bin/sh {} check", kBootScriptPath) : exec_start);
  const std::string unit = fmt::format(
      "[Unit]\nDescription=deepdock: check the host at boot and repair what drifted\n"
      "Wants=network-online.target\nAfter=network-online.target\n\n"
      "[Service]\nType=oneshot\n{}\n\n"
      "[Install]\nWantedBy=multi-user.target\n",
      exec_line);
  const std::string unit_path = std::string("/etc/systemd/system/") + kBootCheckUnit;
  core::BootstrapStep step{
      .id = "boot-check",
      .title = "re-check the host at every boot (" + std::string(kBootCheckUnit) + ")",
      .why =
          "a startup script with a sentinel file runs once; this one checks every step at "
          "each boot and repairs what drifted",
      .checks = {{.command = {.argv = {"grep", "-qF", "# plan " + fingerprint(steps),
                                       kBootScriptPath}}},
                 {.command = {.argv = {"systemctl", "is-enabled", kBootCheckUnit}},
                  .stdout_contains = "enabled"}},
      .apply = {{.argv = {"mkdir", "-p", "/var/lib/deepdock"}},
                core::write_file_command(kBootScriptPath, bootstrap_script(steps, origin)),
                core::write_file_command(unit_path, unit),
                {.argv = {"systemctl", "daemon-reload"}},
                {.argv = {"systemctl", "enable", kBootCheckUnit}}}};
  if (!exec_start.empty()) {
    step.checks.push_back({.command = {.argv = {"grep", "-qxF", exec_line, unit_path}}});
  }
  step.hash = util::sha256_hex(fingerprint(steps) + unit).substr(0, 16);
  return step;
}

}  // namespace deepdock::gen
