#include "cli/host_bootstrap.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <thread>

#include "core/resolve/resolver.hpp"
#include "gen/bootstrap_script.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

// Each step as it starts and ends, the commands' output indented.
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

}  // namespace

Result<core::HostFacts> remote_host_facts(core::HostExecutor& host, const core::BootstrapHost& read,
                                          const core::KnowledgeBase& kb) {
  core::HostFacts facts;
  facts.os_id = read.os_id;
  facts.os_version = read.os_version;
  facts.driver_managed = true;
  facts.origin = "read from " + host.where();
  for (const core::GpuFact& gpu : read.gpus) {
    core::GpuFact known = gpu;
    if (const auto* model = kb.find_gpu(gpu.name); model != nullptr) {
      known.name = model->name;
      known.compute_capability = model->compute_capability;
    }
    facts.gpus.push_back(known);
  }
  if (!facts.gpus.empty()) {
    TRY_ASSIGN(
        const core::HostCommandResult smi,
        host.run({.argv = {"nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"}}));
    if (smi.exit_code == 0) {
      const auto lines = util::split(std::string(util::trim(smi.stdout_text)), '\n');
      if (!lines.empty() && !lines.front().empty()) {
        facts.driver_version = std::string(util::trim(lines.front()));
      }
    }
  }
  return facts;
}

Result<std::string> driver_branch_for(const core::HostFacts& facts, const core::Spec& spec,
                                      const core::KnowledgeBase& kb, const std::string& flag) {
  if (!flag.empty() || facts.gpus.empty()) {
    return flag;
  }
  const auto resolved = core::resolve(spec, facts, kb);
  if (!resolved || resolved->driver_branch.empty()) {
    return fail(
        ErrorCode::kIncompatible,
        fmt::format("no NVIDIA driver branch fits {} for this spec", facts.gpus.front().name),
        "`deepdock plan` shows the conflict; --driver-branch N chooses one yourself");
  }
  std::string branch = resolved->driver_branch;
  if (branch.front() == 'R') {
    branch.erase(0, 1);
  }
  return branch;
}

Result<std::vector<app::BootstrapStepResult>> run_host_bootstrap(
    core::HostExecutor& host, adapters::host::SshExecutor* ssh, const core::BootstrapHost& read,
    const std::vector<core::BootstrapStep>& steps, bool quiet, bool recheck) {
  app::BootstrapDeps deps{.host = host,
                          .reconnect = [ssh]() -> Status {
                            if (ssh == nullptr) {
                              return {};
                            }
                            TRY(ssh->disconnect());
                            return ssh->connect();
                          },
                          .wait_for_host = [ssh, &host](std::chrono::seconds timeout) -> Status {
                            const auto deadline = std::chrono::steady_clock::now() + timeout;
                            (void)ssh->disconnect();
                            while (!ssh->connect()) {
                              if (std::chrono::steady_clock::now() >= deadline) {
                                return fail(ErrorCode::kFailure,
                                            fmt::format("{} did not answer within {} s",
                                                        host.where(), timeout.count()));
                              }
                              std::this_thread::sleep_for(std::chrono::seconds(5));
                            }
                            return {};
                          },
                          .sleep = [](std::chrono::seconds s) { std::this_thread::sleep_for(s); }};
  app::BootstrapSettings settings;
  settings.as_root_with_sudo = ssh != nullptr ? read.user != "root" : ::geteuid() != 0;
  settings.can_reboot = ssh != nullptr;
  settings.recheck = recheck;
  StepPrinter printer(quiet);
  return app::run_bootstrap(steps, deps, settings, printer);
}

Result<std::vector<core::BootstrapStep>> host_bootstrap_plan(const core::BootstrapHost& read,
                                                             const std::string& driver_branch,
                                                             const std::string& origin) {
  TRY_ASSIGN(std::vector<core::BootstrapStep> steps,
             core::plan_bootstrap(read, {.driver_branch = driver_branch}));
  if (read.systemd) {
    steps.push_back(gen::boot_check_step(steps, origin));
  }
  return steps;
}

}  // namespace deepdock::cli
