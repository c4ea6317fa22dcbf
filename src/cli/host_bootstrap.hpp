#pragma once
// The bootstrap as `deepdock bootstrap` and `up` on an SSH target run it: the driver branch
// for the host's GPUs, the HostFacts the resolver needs, and the plan run with its steps
// printed on stderr.

#include <optional>
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

// deepdock copied to the SSH host (once per build; a note on stderr unless quiet) and
// checked to start there: "" when it runs there, else why it cannot (another
// architecture, a bundle that does not start).
Result<std::string> install_self_on_host(adapters::host::SshExecutor& ssh, bool sudo, bool quiet);

// Runs the plan on the SSH host by deepdock itself, copied there (app/host_agent), relaying
// its step lines on stderr unless quiet. nullopt, after a one-line note, when it cannot run
// there (another architecture, a bundle that does not start): the caller drives the steps
// over SSH instead.
Result<std::optional<std::vector<app::BootstrapStepResult>>> run_host_bootstrap_on_host(
    adapters::host::SshExecutor& ssh, const core::BootstrapHost& read,
    const core::BootstrapOptions& plan, bool quiet, bool recheck);

// The bootstrap of an SSH host as `bootstrap --host` and `up` run it: nothing at all when
// every checkpoint is there (one read; unless `recheck`), else deepdock copied to the host
// runs the steps, else (another architecture) they are driven from here over SSH.
Result<std::vector<app::BootstrapStepResult>> bootstrap_ssh_host(adapters::host::SshExecutor& ssh,
                                                                 const core::BootstrapHost& read,
                                                                 const core::BootstrapOptions& plan,
                                                                 bool quiet, bool recheck);

// `deepdock bootstrap --on-host`, on the host as root: the options the local side wrote
// (app::kHostOptionsPath; `driver_branch` overrides its branch) read, the host's facts read
// here, the plan run here under the host's lock, and the outcome told in app/host_agent's
// protocol on stdout. Stops (and stops the running step) when its reader goes away.
Status run_bootstrap_on_host_side(const std::string& driver_branch, bool recheck);

// The plan for a host: core's steps, and on a systemd host the boot-check step last; with
// `on_host_agent`, its unit runs the deepdock installed on the host instead of the script.
Result<std::vector<core::BootstrapStep>> host_bootstrap_plan(const core::BootstrapHost& read,
                                                             const core::BootstrapOptions& options,
                                                             const std::string& origin,
                                                             bool on_host_agent = false);

// The bootstrap's options for an environment of `spec`: the driver branch, the registry
// whose credential helper it needs, and for a Google Cloud VM its idle auto-stop.
core::BootstrapOptions bootstrap_options_for(const std::string& driver_branch,
                                             const core::Spec& spec);

// A host described instead of read: a cloud VM before it exists. `os` is "ubuntu:22.04";
// `gpus` are model names or aliases of the knowledge base ("Tesla T4", "L4").
Result<core::BootstrapHost> described_host(const std::string& os,
                                           const std::vector<std::string>& gpus,
                                           const core::KnowledgeBase& kb);

}  // namespace deepdock::cli
