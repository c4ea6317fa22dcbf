#pragma once
// `down` for an environment on a Google Cloud VM: the containers on the VM removed over SSH
// while it runs (as on any SSH host), then the VM stopped, so that it costs only its disk
// and `up` starts it again; with --delete the VM is deleted with its disk, and deepdock
// forgets its address and host key. Only a VM labelled deepdock-managed is touched.

#include <string>
#include <vector>

#include "app/environments.hpp"
#include "app/gcp_vm_lifecycle.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::cli {

struct GcpTeardown {
  app::DownResult containers;  // on the VM, when it ran
  app::GcpVmRemoval vm;
};

Result<GcpTeardown> take_down_gcp_environment(const core::Spec& spec, const std::string& origin,
                                              const std::string& name,
                                              const app::DownOptions& options, bool delete_vm,
                                              bool quiet);

}  // namespace deepdock::cli
