// `deepdock idle-check` (hidden): the idle check of a cloud VM, run every minute by the
// timer of the idle-stop bootstrap step (core/bootstrap/idle_stop_step) as root on the VM.
// It reads the host's activity (app/idle_monitor), prints what it saw (the journal keeps
// it), and when the VM has been idle for --minutes powers it off with `systemctl poweroff`:
// on Google Cloud that leaves the instance TERMINATED, its disk kept.
//
// Test hook: DEEPDOCK_IDLE_POWEROFF_COMMAND names a program run instead of
// `systemctl poweroff` (no arguments, no shell).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "adapters/host/process.hpp"
#include "adapters/host/state_dir.hpp"
#include "app/idle_monitor.hpp"
#include "cli/commands/commands.hpp"
#include "core/bootstrap/idle_stop_step.hpp"
#include "util/strings.hpp"

namespace deepdock::cli::commands {
namespace {

constexpr std::chrono::seconds kPoweroffTimeout{60};

struct IdleCheckFlags {
  int minutes = 0;
  std::vector<uint16_t> ports;
  std::vector<uint16_t> ssh_ports{22};
  double cpu_percent = 2.0;
  std::string root = "/";
  std::string state_dir = core::kIdleStateDir;
  bool dry_run = false;
};

std::vector<std::string> poweroff_command() {
  const char* hook =
      std::getenv("DEEPDOCK_IDLE_POWEROFF_COMMAND");  // NOLINT(concurrency-mt-unsafe)
  if (hook != nullptr && *hook != '\0') {
    return {hook};
  }
  return {"systemctl", "poweroff"};
}

nlohmann::json decision_json(const app::IdleDecision& decision, bool powering_off) {
  nlohmann::json signals = nlohmann::json::array();
  for (const app::IdleSignal& signal : decision.signals) {
    signals.push_back({{"name", signal.name}, {"active", signal.active}, {"seen", signal.seen}});
  }
  return {{"idle", decision.idle},
          {"idle_seconds", decision.idle_for.count()},
          {"limit_minutes", decision.limit.count()},
          {"note", decision.note},
          {"signals", signals},
          {"powering_off", powering_off}};
}

Status power_off() {
  const std::vector<std::string> argv = poweroff_command();
  TRY_ASSIGN(const adapters::host::ProcessResult result,
             adapters::host::run_process(argv, "", kPoweroffTimeout));
  if (result.exit_code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("`{}` failed (exit {}): {}", util::join(argv, " "), result.exit_code,
                            util::last_lines(result.stderr_text, 3)),
                "power the VM off from the console, or run `deepdock down` from your machine");
  }
  return {};
}

}  // namespace

CommandAction setup_idle_check(CLI::App& sub, const GlobalOptions& global) {
  sub.group("");  // hidden: the idle-stop timer on a cloud VM runs it
  auto flags = std::make_shared<IdleCheckFlags>();
  sub.add_option("--minutes", flags->minutes, "Power off after this many minutes with no activity")
      ->required()
      ->check(CLI::PositiveNumber);
  sub.add_option("--ports", flags->ports,
                 "Ports whose established connections are activity (Jupyter, TensorBoard)")
      ->delimiter(',');
  sub.add_option("--ssh-ports", flags->ssh_ports, "The SSH ports (default 22)")->delimiter(',');
  sub.add_option("--cpu-percent", flags->cpu_percent,
                 "CPU use of containers or users above this share of one CPU is activity")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--root", flags->root, "Read /proc and /sys below this directory");
  sub.add_option("--state-dir", flags->state_dir, "Where the time of the last activity is kept");
  sub.add_flag("--dry-run", flags->dry_run, "Decide and print; record nothing, power nothing off");
  return [flags, &global]() -> Status {
    const app::IdleSettings settings{.limit = std::chrono::minutes(flags->minutes),
                                     .service_ports = flags->ports,
                                     .ssh_ports = flags->ssh_ports,
                                     .cpu_percent = flags->cpu_percent,
                                     .root = flags->root};
    adapters::host::StateDir state(flags->state_dir);
    TRY_ASSIGN(const app::IdleDecision decision,
               app::check_idle(settings, state, std::chrono::system_clock::now(),
                               /*record=*/!flags->dry_run));
    const bool powering_off = decision.idle && !flags->dry_run;
    if (global.json) {
      fmt::print("{}\n", decision_json(decision, powering_off).dump(2));
    } else {
      fmt::print("{}\n", app::idle_decision_text(decision));
    }
    std::fflush(stdout);
    if (!powering_off) {
      return {};
    }
    fmt::print(stderr, "deepdock: no activity for {} minutes: powering the VM off ({})\n",
               decision.limit.count(), util::join(poweroff_command(), " "));
    return power_off();
  };
}

}  // namespace deepdock::cli::commands
