// `deepdock bootstrap`: brings a host (--host ssh://…, the spec's ssh target, or this
// machine) to a container host: Docker, and for NVIDIA GPUs the driver branch the resolver
// chooses, held against drift, the container toolkit and the engine's runtime. Resumable:
// finished steps are recorded on the host and never repeated. --dry-run prints the plan.
#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/host/local_executor.hpp"
#include "app/bootstrap_host.hpp"
#include "cli/commands/commands.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/spec_loader.hpp"
#include "cli/ssh_connection.hpp"
#include "core/resolve/resolver.hpp"

namespace deepdock::cli::commands {
namespace {

struct BootstrapFlags {
  std::string host;
  std::string driver_branch;
  bool dry_run = false;
};

// Prints each step as it starts and ends on stderr, the commands' output indented.
class StepPrinter : public app::BootstrapObserver {
 public:
  explicit StepPrinter(bool quiet) : quiet_(quiet) {}
  void step_started(const core::BootstrapStep& step, size_t index, size_t total) override {
    if (!quiet_) {
      fmt::print(stderr, "• [{}/{}] {}\n", index + 1, total, step.title);
    }
  }
  void line(std::string_view text) override {
    if (!quiet_) {
      fmt::print(stderr, "  │ {}\n", text);
    }
  }
  void step_finished(const app::BootstrapStepResult& result) override {
    if (!quiet_) {
      fmt::print(stderr, "  ✓ {}: {} ({:.1f} s)\n", result.id, result.outcome, result.seconds);
    }
  }

 private:
  bool quiet_;
};

// The driver branch for the host's GPUs: the flag, else the resolver's choice for the spec.
Result<std::string> driver_branch(const core::BootstrapHost& host, const BootstrapFlags& flags,
                                  const GlobalOptions& global) {
  if (!flags.driver_branch.empty() || host.gpus.empty()) {
    return flags.driver_branch;
  }
  TRY_ASSIGN(const LoadedSpec loaded, load_spec(global.spec_file));
  TRY_ASSIGN(const auto kb, load_knowledge_base(""));
  core::HostFacts facts{.gpus = host.gpus,
                        .driver_managed = true,
                        .os_id = host.os_id,
                        .os_version = host.os_version,
                        .origin = "read over SSH"};
  const auto resolved = core::resolve(loaded.spec, facts, *kb);
  if (!resolved || resolved->driver_branch.empty()) {
    return fail(
        ErrorCode::kIncompatible,
        fmt::format("no driver branch fits {} for {}", host.gpus.front().name, loaded.origin),
        "`deepdock plan` shows the conflict; --driver-branch N chooses one yourself");
  }
  std::string branch = resolved->driver_branch;
  if (!branch.empty() && branch.front() == 'R') {
    branch.erase(0, 1);
  }
  return branch;
}

nlohmann::json results_json(const std::string& where,
                            const std::vector<app::BootstrapStepResult>& results) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& r : results) {
    steps.push_back({{"id", r.id}, {"outcome", r.outcome}, {"seconds", r.seconds}});
  }
  return {{"host", where}, {"steps", steps}};
}

}  // namespace

CommandAction setup_bootstrap(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<BootstrapFlags>();
  sub.add_option("--host", flags->host,
                 "The host, ssh://[user@]host[:port] (default: the spec's target, else this "
                 "machine)");
  sub.add_option("--driver-branch", flags->driver_branch,
                 "The NVIDIA driver branch to install, e.g. 535 (default: the resolver's)");
  sub.add_flag("--dry-run", flags->dry_run, "Print the steps and their commands; change nothing");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const auto target, ssh_target_of(flags->host, global.spec_file));
    std::unique_ptr<adapters::host::SshExecutor> ssh;
    adapters::host::LocalExecutor local;
    core::HostExecutor* host = &local;
    if (target) {
      ssh = ssh_executor(*target);
      TRY(ssh->connect());
      host = ssh.get();
    }
    TRY_ASSIGN(const core::BootstrapHost facts, app::read_bootstrap_host(*host));
    TRY_ASSIGN(const std::string branch, driver_branch(facts, *flags, global));
    TRY_ASSIGN(const auto steps, core::plan_bootstrap(facts, {.driver_branch = branch}));
    if (flags->dry_run) {
      fmt::print("Bootstrap of {} ({} {}):\n{}", host->where(), facts.os_id, facts.os_version,
                 core::bootstrap_plan_text(steps));
      return {};
    }
    app::BootstrapDeps deps{
        .host = *host,
        .reconnect = [&]() -> Status {
          if (ssh) {
            TRY(ssh->disconnect());
            return ssh->connect();
          }
          return {};
        },
        .wait_for_host = [&](std::chrono::seconds timeout) -> Status {
          const auto deadline = std::chrono::steady_clock::now() + timeout;
          (void)ssh->disconnect();
          while (!ssh->connect()) {
            if (std::chrono::steady_clock::now() >= deadline) {
              return fail(ErrorCode::kFailure, fmt::format("{} did not answer within {} s",
                                                           host->where(), timeout.count()));
            }
            std::this_thread::sleep_for(std::chrono::seconds(5));
          }
          return {};
        },
        .sleep = [](std::chrono::seconds s) { std::this_thread::sleep_for(s); }};
    app::BootstrapSettings settings;
    settings.as_root_with_sudo = target ? facts.user != "root" : ::geteuid() != 0;
    settings.can_reboot = target.has_value();
    StepPrinter printer(global.quiet || global.json);
    TRY_ASSIGN(const auto results, app::run_bootstrap(steps, deps, settings, printer));
    if (global.json) {
      fmt::print("{}\n", results_json(host->where(), results).dump(2));
    } else {
      fmt::print("{} is ready: {} steps, each done or found done.\n", host->where(),
                 results.size());
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
