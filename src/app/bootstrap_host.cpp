#include "app/bootstrap_host.hpp"

#include <fmt/format.h>

#include <chrono>

#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool dpkg_lock_held(std::string_view output) {
  return output.find("Could not get lock") != std::string_view::npos ||
         output.find("Unable to acquire the dpkg frontend lock") != std::string_view::npos ||
         output.find("dpkg frontend lock") != std::string_view::npos;
}

bool is_apt(const core::HostCommand& command) {
  for (const std::string& arg : command.argv) {
    if (arg == "apt-get" || arg == "apt-mark" || arg == "dpkg") {
      return true;
    }
  }
  return false;
}

class Runner {
 public:
  Runner(BootstrapDeps& deps, const BootstrapSettings& settings, BootstrapObserver& observer)
      : deps_(deps), settings_(settings), observer_(observer) {}

  core::HostCommand as_root(core::HostCommand command) const {
    if (settings_.as_root_with_sudo) {
      command.argv.insert(command.argv.begin(), {"sudo", "-n"});
    }
    return command;
  }

  Result<bool> passes(const core::BootstrapCheck& check) {
    const Result<core::HostCommandResult> run = deps_.host.run(as_root(check.command));
    if (!run && run.error().code == ErrorCode::kNotFound) {
      return false;  // run here, a program not installed yet is a failed check, as over SSH
    }
    TRY_ASSIGN(const core::HostCommandResult ran, run);
    return ran.exit_code == 0 && (check.stdout_contains.empty() ||
                                  ran.stdout_text.find(check.stdout_contains) != std::string::npos);
  }

  Result<bool> all_pass(const core::BootstrapStep& step) {
    for (const core::BootstrapCheck& check : step.checks) {
      TRY_ASSIGN(const bool ok, passes(check));
      if (!ok) {
        return false;
      }
    }
    return !step.checks.empty();
  }

  Result<std::string> checkpoint(const core::BootstrapStep& step) {
    TRY_ASSIGN(const core::HostCommandResult ran,
               deps_.host.run(as_root(
                   {.argv = {"cat", fmt::format("{}/{}", core::kBootstrapStateDir, step.id)}})));
    return ran.exit_code == 0 ? std::string(util::trim(ran.stdout_text)) : std::string();
  }

  Status record(const core::BootstrapStep& step) {
    TRY_ASSIGN(const core::HostCommandResult made,
               deps_.host.run(as_root({.argv = {"mkdir", "-p", core::kBootstrapStateDir}})));
    TRY_ASSIGN(const core::HostCommandResult wrote,
               deps_.host.run(as_root(
                   {.argv = {"tee", fmt::format("{}/{}", core::kBootstrapStateDir, step.id)},
                    .stdin_data = step.hash + "\n"})));
    if (made.exit_code != 0 || wrote.exit_code != 0) {
      return fail(
          ErrorCode::kFailure,
          fmt::format("cannot record step {} in {} on {}: {}", step.id, core::kBootstrapStateDir,
                      deps_.host.where(), util::trim(made.stderr_text + wrote.stderr_text)));
    }
    return {};
  }

  // Streams the output of a command without stdin; one with stdin runs captured, and its
  // output is handed over when it ends.
  Result<int> run_once(const core::HostCommand& command,
                       const std::function<void(std::string_view)>& on_line) {
    if (command.stdin_data.empty()) {
      return deps_.host.run_streaming(command, on_line);
    }
    TRY_ASSIGN(const core::HostCommandResult ran, deps_.host.run(command));
    for (const std::string& text : util::split(ran.stdout_text + ran.stderr_text, '\n')) {
      if (!text.empty()) {
        on_line(text);
      }
    }
    return ran.exit_code;
  }

  // Runs one command of a step, streaming its output; apt waits while the lock is held.
  Status run_command(const core::BootstrapStep& step, const core::HostCommand& command) {
    const auto deadline = Clock::now() + settings_.lock_wait;
    while (true) {
      std::vector<std::string> tail;
      auto streamed = [&](std::string_view text) {
        tail.emplace_back(text);
        if (tail.size() > 12) {
          tail.erase(tail.begin());
        }
        observer_.line(text);
      };
      core::HostCommand root = as_root(command);
      root.timeout = std::chrono::hours(1);
      Result<int> code = run_once(root, streamed);
      if (!code) {
        return fail(code.error());
      }
      if (*code == 0) {
        return {};
      }
      const std::string output = util::join(tail, "\n");
      if (is_apt(command) && dpkg_lock_held(output) && Clock::now() < deadline) {
        observer_.line("another package manager holds the dpkg lock; waiting for it");
        deps_.sleep(std::chrono::seconds(10));
        continue;
      }
      return fail(
          ErrorCode::kFailure,
          fmt::format("step {} ({}) failed on {}: `{}` exited with {}:\n{}", step.id, step.title,
                      deps_.host.where(), util::shell_join(command.argv), *code, output),
          "fix what it says and run `deepdock bootstrap` again: finished steps are "
          "not repeated");
    }
  }

  // Reboots the host and waits until it is back: up again with a new boot id. On the host
  // itself the reboot starts a few seconds later, in the background, and the run ends.
  Status reboot(const core::BootstrapStep& step, const core::HostCommand& command) {
    if (!settings_.can_reboot) {
      return fail(ErrorCode::kPrecondition,
                  fmt::format("step {} needs a reboot: {}", step.id, step.why),
                  "reboot this machine, then run `deepdock bootstrap` again: finished steps are "
                  "not repeated");
    }
    TRY_ASSIGN(const std::string before, read_boot_id(deps_.host));
    observer_.line("rebooting the host");
    if (settings_.reboot_ends_run) {
      core::HostCommand later = command;
      later.argv.insert(later.argv.begin(),
                        {"sh", "-c", "(sleep 3; exec \"$@\") </dev/null >/dev/null 2>&1 &", "sh"});
      TRY(deps_.host.run(as_root(later)));
      Error rebooting{ErrorCode::kFailure,
                      fmt::format("{} is rebooting for step {}", deps_.host.where(), step.id)};
      rebooting.exit_status = kExitRebooting;
      return fail(std::move(rebooting));
    }
    (void)deps_.host.run(as_root(command));  // the connection drops with the host
    return wait_for_new_boot(deps_, settings_, before);
  }

  Status apply(const core::BootstrapStep& step) {
    for (const core::HostCommand& command : step.apply) {
      if (step.reboots) {
        TRY(reboot(step, command));
        continue;
      }
      TRY(run_command(step, command));
    }
    if (step.new_session) {
      TRY(deps_.reconnect());
    }
    return {};
  }

  Result<BootstrapStepResult> run_step(const core::BootstrapStep& step) {
    const auto start = Clock::now();
    BootstrapStepResult result{.id = step.id};
    const Result<std::string> recorded =
        settings_.recheck ? Result<std::string>(std::string()) : checkpoint(step);
    if (!recorded) {
      return fail(recorded.error());
    }
    if (*recorded == step.hash) {
      result.outcome = "done before";
      result.seconds = seconds_since(start);
      return result;
    }
    TRY_ASSIGN(const bool there, all_pass(step));
    if (!there) {
      TRY(apply(step));
      TRY_ASSIGN(const bool now_there, all_pass(step));
      if (!now_there && !step.checks.empty()) {
        return fail(ErrorCode::kFailure,
                    fmt::format("step {} ({}) ran on {} but its check still fails: `{}`", step.id,
                                step.title, deps_.host.where(),
                                util::shell_join(step.checks.front().command.argv)),
                    "run the check on the host to see why; then `deepdock bootstrap` again");
      }
    }
    TRY(record(step));
    result.outcome = there ? "already there" : "done";
    result.seconds = seconds_since(start);
    return result;
  }

 private:
  BootstrapDeps& deps_;
  const BootstrapSettings& settings_;
  BootstrapObserver& observer_;
};

// NVIDIA display and 3D controllers on PCI, named from the host's pci.ids when it has one
// (the bracketed marketing name: "TU104GL [Tesla T4]" -> "Tesla T4"), even before a driver.
constexpr const char* kListNvidiaGpus =
    "for d in /sys/bus/pci/devices/*; do "
    "[ \"$(cat $d/vendor 2>/dev/null)\" = 0x10de ] || continue; "
    "case \"$(cat $d/class 2>/dev/null)\" in 0x0300*|0x0302*) ;; *) continue ;; esac; "
    "id=$(cat $d/device); id=${id#0x}; "
    "name=$(cat /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids 2>/dev/null | awk -v id=\"$id\" "
    "'/^10de /{v=1; next} /^[0-9a-f]/{v=0} v && $1 == id {sub(/^[ \\t]*[0-9a-f]+ +/, \"\"); "
    "print; exit}'); "
    "case \"$name\" in *\\[*\\]*) name=${name#*[}; name=${name%]*} ;; esac; "
    "echo \"DEEPDOCK_GPU=${name:-NVIDIA device $id}\"; done";

std::string os_release_value(std::string_view text, std::string_view key) {
  for (const std::string& line : util::split(text, '\n')) {
    if (line.rfind(std::string(key) + "=", 0) == 0) {
      std::string value = line.substr(key.size() + 1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
  }
  return {};
}

}  // namespace

Result<std::string> read_boot_id(core::HostExecutor& host) {
  TRY_ASSIGN(const core::HostCommandResult ran,
             host.run({.argv = {"cat", "/proc/sys/kernel/random/boot_id"}}));
  return std::string(util::trim(ran.stdout_text));
}

Status wait_for_new_boot(BootstrapDeps& deps, const BootstrapSettings& settings,
                         const std::string& before) {
  const auto deadline = Clock::now() + settings.reboot_wait;
  while (true) {
    TRY(deps.wait_for_host(settings.reboot_wait));
    const auto after = read_boot_id(deps.host);
    if (after && !after->empty() && *after != before) {
      return {};
    }
    if (Clock::now() >= deadline) {
      return fail(ErrorCode::kFailure,
                  fmt::format("{} did not come back from its reboot within {} s", deps.host.where(),
                              settings.reboot_wait.count()),
                  "when it is up again, run `deepdock bootstrap` again");
    }
    deps.sleep(std::chrono::seconds(5));
  }
}

Result<core::BootstrapHost> read_bootstrap_host(core::HostExecutor& host) {
  // One round trip: each fact on its own line after a tag.
  TRY_ASSIGN(const core::HostCommandResult ran,
             host.run({.argv = {"sh", "-c",
                                "cat /etc/os-release; echo; echo \"DEEPDOCK_KERNEL=$(uname -r)\"; "
                                "echo \"DEEPDOCK_ARCH=$(dpkg --print-architecture 2>/dev/null)\"; "
                                "echo \"DEEPDOCK_USER=$(id -un)\"; "
                                "[ -d /run/systemd/system ] && echo DEEPDOCK_SYSTEMD=1 || "
                                "echo DEEPDOCK_SYSTEMD=0; " +
                                    std::string(kListNvidiaGpus)}}));
  if (ran.exit_code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot read the OS of {}: {}", host.where(), ran.stderr_text));
  }
  core::BootstrapHost facts;
  facts.os_id = os_release_value(ran.stdout_text, "ID");
  facts.os_version = os_release_value(ran.stdout_text, "VERSION_ID");
  facts.codename = os_release_value(ran.stdout_text, "VERSION_CODENAME");
  facts.kernel = os_release_value(ran.stdout_text, "DEEPDOCK_KERNEL");
  if (const std::string arch = os_release_value(ran.stdout_text, "DEEPDOCK_ARCH"); !arch.empty()) {
    facts.arch = arch;
  }
  facts.user = os_release_value(ran.stdout_text, "DEEPDOCK_USER");
  facts.systemd = os_release_value(ran.stdout_text, "DEEPDOCK_SYSTEMD") == "1";
  for (const std::string& line : util::split(ran.stdout_text, '\n')) {
    if (line.rfind("DEEPDOCK_GPU=", 0) == 0) {
      facts.gpus.push_back({.name = line.substr(13)});
    }
  }
  return facts;
}

Result<bool> bootstrap_recorded(core::HostExecutor& host,
                                const std::vector<core::BootstrapStep>& steps) {
  core::HostCommand read{.argv = {"sh", "-c",
                                  "cd \"$0\" 2>/dev/null || exit 1; for step in \"$@\"; do "
                                  "cat \"$step\" 2>/dev/null || echo; done",
                                  core::kBootstrapStateDir}};
  std::string expected;
  for (const core::BootstrapStep& step : steps) {
    read.argv.push_back(step.id);
    expected += step.hash + "\n";
  }
  TRY_ASSIGN(const core::HostCommandResult ran, host.run(read));
  return ran.exit_code == 0 && !steps.empty() && ran.stdout_text == expected;
}

Result<std::vector<BootstrapStepResult>> run_bootstrap(
    const std::vector<core::BootstrapStep>& steps, BootstrapDeps& deps,
    const BootstrapSettings& settings, BootstrapObserver& observer) {
  Runner runner(deps, settings, observer);
  std::vector<BootstrapStepResult> results;
  for (size_t i = 0; i < steps.size(); ++i) {
    observer.step_started(steps[i], i, steps.size());
    TRY_ASSIGN(BootstrapStepResult result, runner.run_step(steps[i]));
    observer.step_finished(result);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace deepdock::app
