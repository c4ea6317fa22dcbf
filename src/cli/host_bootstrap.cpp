#include "cli/host_bootstrap.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/host/host_run_guard.hpp"
#include "adapters/host/local_executor.hpp"
#include "adapters/host/self_bundle.hpp"
#include "app/host_agent.hpp"
#include "core/resolve/resolver.hpp"
#include "gen/bootstrap_script.hpp"
#include "util/cancel.hpp"
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

// On the host: the same lines, and at each step boundary a moment for a vanished reader
// (the deepdock over SSH killed as it saw the last step end) to be noticed, so the next
// step does not start.
class HostSidePrinter : public StepPrinter {
 public:
  HostSidePrinter() : StepPrinter(false) {}
  void step_started(const core::BootstrapStep& step, size_t index, size_t total) override {
    if (index > 0 && adapters::host::reader_left_within(kBoundaryGrace)) {
      return;  // cancelled: the step's first command will not start
    }
    StepPrinter::step_started(step, index, total);
  }

 private:
  static constexpr std::chrono::milliseconds kBoundaryGrace{150};
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
  if (!flag.empty() || facts.gpus.empty() || spec.gpu.mode == core::GpuMode::kNone) {
    return flag;  // an environment without GPUs needs no driver
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

namespace {

// Reconnects and waits for a rebooting host through the SSH connection (none: this machine).
app::BootstrapDeps ssh_deps(core::HostExecutor& host, adapters::host::SshExecutor* ssh) {
  return {.host = host,
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
                return fail(ErrorCode::kFailure, fmt::format("{} did not answer within {} s",
                                                             host.where(), timeout.count()));
              }
              std::this_thread::sleep_for(std::chrono::seconds(5));
            }
            return {};
          },
          .sleep = [](std::chrono::seconds s) { std::this_thread::sleep_for(s); }};
}

void note(bool quiet, std::string_view text) {
  if (!quiet) {
    fmt::print(stderr, "• {}\n", text);
  }
}

}  // namespace

Result<std::vector<app::BootstrapStepResult>> run_host_bootstrap(
    core::HostExecutor& host, adapters::host::SshExecutor* ssh, const core::BootstrapHost& read,
    const std::vector<core::BootstrapStep>& steps, bool quiet, bool recheck) {
  app::BootstrapDeps deps = ssh_deps(host, ssh);
  app::BootstrapSettings settings;
  settings.as_root_with_sudo = ssh != nullptr ? read.user != "root" : ::geteuid() != 0;
  settings.can_reboot = ssh != nullptr;
  settings.recheck = recheck;
  StepPrinter printer(quiet);
  return app::run_bootstrap(steps, deps, settings, printer);
}

Result<std::string> install_self_on_host(adapters::host::SshExecutor& ssh, bool sudo, bool quiet) {
  const std::string here = adapters::host::machine_name();
  TRY_ASSIGN(const core::HostCommandResult uname, ssh.run({.argv = {"uname", "-m"}}));
  const std::string there(util::trim(uname.stdout_text));
  if (there != here) {
    return fmt::format("{} is {}, this deepdock {}", ssh.where(), there, here);
  }
  const auto bundle = adapters::host::self_bundle();
  if (!bundle) {
    return fmt::format("deepdock cannot copy itself ({})", bundle.error().message);
  }
  const app::AgentBundle agent{
      .hash = bundle->hash,
      .interpreter = bundle->interpreter,
      .archive = [&]() -> Result<std::string> {
        TRY_ASSIGN(std::string bytes, adapters::host::bundle_archive(*bundle));
        note(quiet, fmt::format("copying deepdock to {} ({:.1f} MB, once per build)", ssh.where(),
                                static_cast<double>(bytes.size()) / 1e6));
        return bytes;
      }};
  return app::install_host_agent(ssh, agent, sudo);
}

Result<std::optional<std::vector<app::BootstrapStepResult>>> run_host_bootstrap_on_host(
    adapters::host::SshExecutor& ssh, const core::BootstrapHost& read,
    const core::BootstrapOptions& plan, bool quiet, bool recheck) {
  const bool sudo = read.user != "root";
  TRY_ASSIGN(const std::string unusable, install_self_on_host(ssh, sudo, quiet));
  if (!unusable.empty()) {
    note(quiet, unusable + ": the steps run from here over SSH");
    return std::nullopt;
  }
  app::BootstrapDeps deps = ssh_deps(ssh, &ssh);
  const app::BootstrapSettings settings;
  TRY_ASSIGN(auto results,
             app::run_host_agent(deps, settings,
                                 {.options = {.driver_branch = plan.driver_branch,
                                              .origin = ssh.where(),
                                              .user = read.user,
                                              .registry = plan.registry,
                                              .idle_stop_minutes = plan.idle_stop_minutes,
                                              .idle_ports = plan.idle_ports},
                                  .sudo = sudo,
                                  .recheck = recheck},
                                 [quiet](std::string_view line) {
                                   if (!quiet) {
                                     fmt::print(stderr, "{}\n", line);
                                   }
                                 }));
  return results;
}

Result<std::vector<app::BootstrapStepResult>> bootstrap_ssh_host(adapters::host::SshExecutor& ssh,
                                                                 const core::BootstrapHost& read,
                                                                 const core::BootstrapOptions& plan,
                                                                 bool quiet, bool recheck) {
  if (!recheck) {
    TRY_ASSIGN(const auto steps,
               host_bootstrap_plan(read, plan, ssh.where(), /*on_host_agent=*/true));
    TRY_ASSIGN(const bool recorded, app::bootstrap_recorded(ssh, steps));
    if (recorded) {
      std::vector<app::BootstrapStepResult> results;
      for (const core::BootstrapStep& step : steps) {
        results.push_back({.id = step.id, .outcome = "done before"});
      }
      return results;
    }
  }
  TRY_ASSIGN(auto ran_there, run_host_bootstrap_on_host(ssh, read, plan, quiet, recheck));
  if (ran_there) {
    return std::move(*ran_there);
  }
  // Without deepdock on the host there is nothing to run the idle check: no such step.
  core::BootstrapOptions without_agent = plan;
  without_agent.idle_stop_minutes.reset();
  TRY_ASSIGN(const auto from_here,
             host_bootstrap_plan(read, without_agent, ssh.where(), /*on_host_agent=*/false));
  return run_host_bootstrap(ssh, &ssh, read, from_here, quiet, recheck);
}

namespace {

Result<app::HostAgentOptions> read_host_options() {
  std::ifstream in(app::kHostOptionsPath);
  if (!in) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("{} is missing: nothing to bootstrap from", app::kHostOptionsPath),
                "run `deepdock bootstrap --host ssh://…` from your machine: it writes it");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return app::parse_options_json(text.str());
}

std::string lock_holder(const std::string& origin) {
  std::array<char, 32> when{};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::strftime(when.data(), when.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return fmt::format("pid {}, started {} for {}", ::getpid(), when.data(),
                     origin.empty() ? "the boot check" : origin);
}

// The plan's options as the deepdock on the other side wrote them.
core::BootstrapOptions bootstrap_options(const app::HostAgentOptions& options) {
  return {.driver_branch = options.driver_branch,
          .registry = options.registry,
          .idle_stop_minutes = options.idle_stop_minutes,
          .idle_ports = options.idle_ports};
}

Result<std::vector<app::BootstrapStepResult>> run_here(const app::HostAgentOptions& options,
                                                       bool recheck, bool* reconnect) {
  adapters::host::LocalExecutor local;
  TRY_ASSIGN(core::BootstrapHost read, app::read_bootstrap_host(local));
  if (!options.user.empty()) {
    read.user = options.user;  // the one who logs in, not root who runs this
  }
  TRY_ASSIGN(const auto steps,
             host_bootstrap_plan(read, bootstrap_options(options), options.origin, true));
  app::BootstrapDeps deps{.host = local,
                          .reconnect = [reconnect]() -> Status {
                            *reconnect = true;  // the deepdock over SSH opens the new session
                            return {};
                          },
                          .wait_for_host = [](std::chrono::seconds) -> Status {
                            return fail(ErrorCode::kFailure,
                                        "a host cannot wait for its own reboot");
                          },
                          .sleep = [](std::chrono::seconds s) { util::sleep_unless_cancelled(s); }};
  app::BootstrapSettings settings;
  settings.as_root_with_sudo = ::geteuid() != 0;
  settings.reboot_ends_run = true;
  settings.recheck = recheck;
  HostSidePrinter printer;
  return app::run_bootstrap(steps, deps, settings, printer);
}

}  // namespace

Status run_bootstrap_on_host_side(const std::string& driver_branch, bool recheck) {
  adapters::host::cancel_when_reader_leaves();
  const auto told = [](std::string_view line) {
    fmt::print(stdout, "{}\n", line);
    std::fflush(stdout);
  };
  const auto ran = [&]() -> Result<std::vector<app::BootstrapStepResult>> {
    TRY_ASSIGN(app::HostAgentOptions options, read_host_options());
    if (!driver_branch.empty()) {
      options.driver_branch = driver_branch;
    }
    TRY_ASSIGN(const adapters::host::RunLock lock,
               adapters::host::RunLock::acquire(
                   app::kHostLockPath, lock_holder(options.origin), [](const std::string& other) {
                     fmt::print(stderr, "• waiting for another deepdock bootstrap here: {}\n",
                                other);
                   }));
    adapters::host::LocalExecutor local;
    TRY_ASSIGN(const std::string boot_id, app::read_boot_id(local));
    bool reconnect = false;
    auto results = run_here(options, recheck, &reconnect);
    if (!results && results.error().exit_status == app::kExitRebooting) {
      told(std::string(app::kRebootPrefix) + boot_id);
    } else if (results) {
      told(app::results_line({.results = *results, .reconnect = reconnect}));
    }
    return results;
  }();
  if (!ran && ran.error().exit_status != app::kExitRebooting) {
    told(app::error_line(ran.error()));
  }
  if (!ran) {
    Error error = ran.error();
    error.reported = true;  // told above, in the protocol
    return fail(std::move(error));
  }
  return {};
}

Result<std::vector<core::BootstrapStep>> host_bootstrap_plan(const core::BootstrapHost& read,
                                                             const core::BootstrapOptions& options,
                                                             const std::string& origin,
                                                             bool on_host_agent) {
  TRY_ASSIGN(std::vector<core::BootstrapStep> steps, core::plan_bootstrap(read, options));
  if (read.systemd) {
    steps.push_back(gen::boot_check_step(
        steps, origin,
        on_host_agent ? fmt::format("{} bootstrap --check --on-host", app::kHostLauncher) : ""));
  }
  return steps;
}

core::BootstrapOptions bootstrap_options_for(const std::string& driver_branch,
                                             const core::Spec& spec) {
  core::BootstrapOptions options{.driver_branch = driver_branch, .registry = spec.registry};
  if (spec.target.kind == core::TargetKind::kGcp) {
    // A VM deepdock made stops itself when idle; ports with a connection count as activity.
    options.idle_stop_minutes = spec.target.gcp.idle_stop_minutes;
    if (spec.jupyter != core::JupyterMode::kNone) {
      options.idle_ports.push_back(spec.ports.jupyter);
    }
    if (spec.tensorboard) {
      options.idle_ports.push_back(spec.ports.tensorboard);
    }
  }
  return options;
}

Result<core::BootstrapHost> described_host(const std::string& os,
                                           const std::vector<std::string>& gpus,
                                           const core::KnowledgeBase& kb) {
  const size_t colon = os.find(':');
  core::BootstrapHost host;
  host.os_id = os.substr(0, colon);
  host.os_version = colon == std::string::npos ? "" : os.substr(colon + 1);
  host.user = "root";
  host.systemd = true;
  TRY(core::check_bootstrap_os(host));
  for (const std::string& name : gpus) {
    const auto* model = kb.find_gpu(name);
    if (model == nullptr) {
      return fail(ErrorCode::kInvalidInput, fmt::format("GPU model '{}' is not known", name),
                  "use a name or alias from the knowledge base, e.g. 'Tesla T4', L4, H100");
    }
    host.gpus.push_back({model->name, model->compute_capability, 0});
  }
  return host;
}

}  // namespace deepdock::cli
