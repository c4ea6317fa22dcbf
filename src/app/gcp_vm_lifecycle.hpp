#pragma once
// The environment's VM after it exists: waiting for it to run, stopping it (`down`),
// deleting it (`down --delete`) and listing deepdock's VMs (`status`). Only VMs labelled
// deepdock-managed=true are ever stopped or deleted.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/gcp_deps.hpp"

namespace deepdock::app {

// Until the instance is RUNNING with an external IP: kFailure when it stops or vanishes
// meanwhile, kTimeout naming its last status, kCancelled.
Result<core::CloudInstance> wait_for_running(GcpDeps& deps, const std::string& project,
                                             const std::string& zone, const std::string& name,
                                             std::chrono::seconds timeout);

struct GcpVmRemoval {
  std::string project;
  std::string zone;
  std::string name;
  std::string outcome;  // "stopped", "already stopped", "deleted", "already gone", "none"
  std::vector<std::string> notes;
};

// By the environment's record. With no record, `project` (may be "") is searched for
// an instance labelled with the environment (a lost record); none found = outcome "none".
// kPermissionDenied for an instance without the deepdock-managed label.
Result<GcpVmRemoval> stop_gcp_vm(std::string_view env_name, const std::string& project,
                                 GcpDeps& deps,
                                 std::chrono::seconds timeout = std::chrono::seconds(600));
// Waits until the VM is gone, then removes the record; a VM already gone is a success
// (outcome "already gone", the record removed).
Result<GcpVmRemoval> delete_gcp_vm(std::string_view env_name, const std::string& project,
                                   GcpDeps& deps,
                                   std::chrono::seconds timeout = std::chrono::seconds(600));

struct GcpVmListing {
  core::CloudInstance instance;
  std::string env;  // the deepdock-env label
};

// Every deepdock-managed instance of the project, in every zone.
Result<std::vector<GcpVmListing>> find_gcp_vms(GcpDeps& deps, const std::string& project);

}  // namespace deepdock::app
