#pragma once
// The bootstrap as `deepdock bootstrap` and `up` on an SSH target run it: the driver branch
// for the host's GPUs, the HostFacts the resolver needs, and the plan run with its steps
// printed on stderr.

#include <string>
#include <vector>

#include "adapters/host/ssh_executor.hpp"
#include "app/bootstrap_host.hpp"
#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::cli {

// What the resolver knows of a host read over SSH: its GPUs (with the knowledge base's
// compute capability where the name is known), its driver (nvidia-smi), its OS.
Result<core::HostFacts> remote_host_facts(core::HostExecutor& host, const core::BootstrapHost& read,
                                          const core::KnowledgeBase& kb);

// The driver branch to install ("535"): `flag` when set, none without GPUs, else the
// resolver's choice for the spec on this host.
Result<std::string> driver_branch_for(const core::HostFacts& facts, const core::Spec& spec,
                                      const core::KnowledgeBase& kb, const std::string& flag);

// Runs the plan on `host` (`ssh` when it is remote: reconnects and reboots go through it);
// prints each step on stderr unless quiet.
Result<std::vector<app::BootstrapStepResult>> run_host_bootstrap(
    core::HostExecutor& host, adapters::host::SshExecutor* ssh, const core::BootstrapHost& read,
    const std::vector<core::BootstrapStep>& steps, bool quiet, bool recheck = false);

// The plan for a host: core's steps, and on a systemd host the boot-check step last.
Result<std::vector<core::BootstrapStep>> host_bootstrap_plan(const core::BootstrapHost& read,
                                                             const std::string& driver_branch,
                                                             const std::string& origin);

}  // namespace deepdock::cli
