// `deepdock bootstrap`: brings a host (--host ssh://…, the spec's ssh target, or this
// machine) to a container host: Docker, and for NVIDIA GPUs the driver branch the resolver
// chooses, held against drift, the container toolkit and the engine's runtime. Resumable:
// finished steps are recorded on the host and never repeated. --dry-run prints the plan;
// --check re-checks every step and repairs drift; --emit startup-script prints the same
// plan as a boot script (for a host that exists, or one described with --os and --gpu).
// On an SSH host of this machine's architecture the steps run there, by this deepdock
// copied to the host (app/host_agent: the hidden --on-host mode is that side).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/host/local_executor.hpp"
#include "cli/commands/commands.hpp"
#include "cli/host_bootstrap.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/spec_loader.hpp"
#include "cli/ssh_connection.hpp"
#include "gen/bootstrap_script.hpp"

namespace deepdock::cli::commands {
namespace {

struct BootstrapFlags {
  std::string host;
  std::string driver_branch;
  std::string emit;
  std::string os;  // "ubuntu:22.04": plan for a host that does not exist yet
  std::vector<std::string> gpus;
  bool dry_run = false;
  bool check = false;
  bool on_host = false;  // the side of a bootstrap that runs on the host (app/host_agent)
};

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
  sub.add_flag("--check", flags->check,
               "Run every step's checks again, records or not, and repair what drifted");
  sub.add_option("--emit", flags->emit,
                 "Print the plan as a script instead of running it: startup-script (a boot "
                 "script for cloud instance metadata, the same steps and checkpoints)")
      ->check(CLI::IsMember({"startup-script"}));
  sub.add_option("--os", flags->os,
                 "With --emit: plan for a host of this OS that does not exist yet, e.g. "
                 "ubuntu:22.04");
  sub.add_option("--gpu", flags->gpus, "With --os: the host's GPU model (repeat for more)");
  sub.add_flag("--on-host", flags->on_host,
               "Run here as root, with the options the deepdock that copied itself here wrote")
      ->group("");  // hidden: deepdock runs it on the host, and the boot-check unit does
  return [flags, &global]() -> Status {
    if (flags->on_host) {
      return run_bootstrap_on_host_side(flags->driver_branch, flags->check);
    }
    TRY_ASSIGN(const LoadedSpec loaded, load_spec(global.spec_file));
    TRY_ASSIGN(const auto kb, load_knowledge_base(""));
    if (!flags->os.empty()) {
      if (flags->emit.empty()) {
        return fail(ErrorCode::kInvalidInput, "--os plans for a host that does not exist yet",
                    "use it with --emit startup-script");
      }
      TRY_ASSIGN(const core::BootstrapHost described, described_host(flags->os, flags->gpus, *kb));
      const core::HostFacts facts{.gpus = described.gpus,
                                  .driver_managed = true,
                                  .os_id = described.os_id,
                                  .os_version = described.os_version};
      TRY_ASSIGN(const std::string branch,
                 driver_branch_for(facts, loaded.spec, *kb, flags->driver_branch));
      const std::string origin =
          fmt::format("{} {}{}", described.os_id, described.os_version,
                      described.gpus.empty() ? "" : " with a " + described.gpus.front().name);
      TRY_ASSIGN(
          const auto steps,
          host_bootstrap_plan(described, bootstrap_options_for(branch, loaded.spec), origin));
      fmt::print("{}", gen::bootstrap_script(steps, origin));
      return {};
    }
    TRY_ASSIGN(const auto target, ssh_target_of(flags->host, global.spec_file));
    std::unique_ptr<adapters::host::SshExecutor> ssh;
    adapters::host::LocalExecutor local;
    core::HostExecutor* host = &local;
    if (target) {
      ssh = ssh_executor(*target);
      TRY(ssh->connect());
      host = ssh.get();
    }
    TRY_ASSIGN(const core::BootstrapHost read, app::read_bootstrap_host(*host));
    TRY_ASSIGN(const core::HostFacts facts, remote_host_facts(*host, read, *kb));
    TRY_ASSIGN(const std::string branch,
               driver_branch_for(facts, loaded.spec, *kb, flags->driver_branch));
    if (!flags->emit.empty()) {
      TRY_ASSIGN(
          const auto steps,
          host_bootstrap_plan(read, bootstrap_options_for(branch, loaded.spec), host->where()));
      fmt::print("{}", gen::bootstrap_script(steps, host->where()));
      return {};
    }
    const core::BootstrapOptions options = bootstrap_options_for(branch, loaded.spec);
    TRY_ASSIGN(const auto steps,
               host_bootstrap_plan(read, options, host->where(), /*on_host_agent=*/ssh != nullptr));
    if (flags->dry_run) {
      fmt::print("Bootstrap of {} ({} {}):\n{}", host->where(), read.os_id, read.os_version,
                 core::bootstrap_plan_text(steps));
      return {};
    }
    const bool quiet = global.quiet || global.json;
    std::vector<app::BootstrapStepResult> results;
    if (ssh) {
      TRY_ASSIGN(results, bootstrap_ssh_host(*ssh, read, options, quiet, flags->check));
    } else {
      TRY_ASSIGN(results, run_host_bootstrap(*host, nullptr, read, steps, quiet, flags->check));
    }
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
