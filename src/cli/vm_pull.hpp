#pragma once
// How a Google Cloud VM gets an image from the spec's registry: a Google registry (Artifact
// Registry, gcr.io) or one this machine holds no credentials for is pulled by the VM's own
// docker, through the credential helper the bootstrap configured there (the VM's service
// account: no credential leaves this machine); a registry this machine has credentials for
// is pulled through the Engine API with them, as for any SSH host.

#include <functional>
#include <string>

#include "core/ports/host_executor.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

using PullOnTarget = std::function<Status(const std::string& image)>;

// The function for UpDeps::pull_on_target, or null when the Engine API should pull.
// `vm` must outlive it.
Result<PullOnTarget> vm_pull_for(const std::string& registry, core::HostExecutor& vm);

}  // namespace deepdock::cli
