// `deepdock bootstrap`: brings a host (--host ssh://…, the spec's ssh target, or this
// machine) to a container host: Docker, and for NVIDIA GPUs the driver branch the resolver
// chooses, held against drift, the container toolkit and the engine's runtime. Resumable:
// finished steps are recorded on the host and never repeated. --dry-run prints the plan.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/host/local_executor.hpp"
#include "cli/commands/commands.hpp"
#include "cli/host_bootstrap.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/spec_loader.hpp"
#include "cli/ssh_connection.hpp"

namespace deepdock::cli::commands {
namespace {

struct BootstrapFlags {
  std::string host;
  std::string driver_branch;
  bool dry_run = false;
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
    TRY_ASSIGN(const core::BootstrapHost read, app::read_bootstrap_host(*host));
    TRY_ASSIGN(const LoadedSpec loaded, load_spec(global.spec_file));
    TRY_ASSIGN(const auto kb, load_knowledge_base(""));
    TRY_ASSIGN(const core::HostFacts facts, remote_host_facts(*host, read, *kb));
    TRY_ASSIGN(const std::string branch,
               driver_branch_for(facts, loaded.spec, *kb, flags->driver_branch));
    TRY_ASSIGN(const auto steps, core::plan_bootstrap(read, {.driver_branch = branch}));
    if (flags->dry_run) {
      fmt::print("Bootstrap of {} ({} {}):\n{}", host->where(), read.os_id, read.os_version,
                 core::bootstrap_plan_text(steps));
      return {};
    }
    TRY_ASSIGN(const auto results,
               run_host_bootstrap(*host, ssh.get(), read, steps, global.quiet || global.json));
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
