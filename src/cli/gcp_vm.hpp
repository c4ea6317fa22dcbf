#pragma once
// `up` with `target.kind: gcp`, up to the point where the VM is an SSH host like any other:
// the environment's recorded VM reused or started, or a new one planned (machine, GPUs,
// zones, quota and the price per hour shown before anything is created) and created with
// failover across zones and regions (every attempt in a table), its startup script (the
// bootstrap, emitted for the VM's OS and GPU) followed on the serial console, its address
// recorded for the other commands, and sshd awaited. What `up` does next is the SSH host's
// path: the bootstrap's checkpoints (already written by the startup script), the image, the
// container, verification and tunnels.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/gcp_provision.hpp"
#include "cli/gcp_session.hpp"
#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/model/ssh_target.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::cli {

struct GcpVmReady {
  core::SshTarget target;
  app::GcpVmResult vm;
  std::optional<double> price_per_hour;
};

// Prints progress on stderr unless quiet.
Result<GcpVmReady> bring_up_gcp_vm(GcpSession& session, const core::Spec& spec,
                                   const std::string& origin, const core::KnowledgeBase& kb,
                                   bool quiet);

// `up --dry-run` and `plan`: what would be created, and the host facts of a VM that does not
// exist yet (its OS and GPU as planned), for the resolver.
struct GcpVmPreview {
  std::vector<std::string> lines;  // the plan, or the recorded VM that would be reused
  core::HostFacts facts;
};
Result<GcpVmPreview> preview_gcp_vm(GcpSession& session, const core::Spec& spec,
                                    const core::KnowledgeBase& kb);

// The VM part of `up --json`'s summary.
nlohmann::json gcp_vm_json(const GcpVmReady& ready);
// The VM lines of `up`'s summary.
std::string gcp_vm_text(const GcpVmReady& ready);

}  // namespace deepdock::cli
