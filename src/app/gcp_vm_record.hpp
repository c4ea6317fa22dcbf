#pragma once
// The state store's record of an environment's Google Cloud VM, under "gcp-vm-<env>": the
// project, zone and name, and how far creating it got. It is written BEFORE every insert
// (state "creating", with the insert's request id and, once known, its operation), so an
// `up` interrupted at any point leaves something `down` can find; it becomes "created" when
// the VM runs and is removed only once the VM is known to be gone.

#include <optional>
#include <string>
#include <string_view>

#include "core/ports/state_store.hpp"
#include "util/error.hpp"

namespace deepdock::app {

struct GcpVmRecord {
  std::string project;
  std::string zone;
  std::string name;
  std::string state;       // "creating", "created"
  std::string request_id;  // the insert's
  std::string operation;   // the insert's operation, when Compute answered
};

// "gcp-vm-<env>" with characters outside [A-Za-z0-9._-] replaced by '_'.
std::string gcp_vm_record_key(std::string_view env_name);

Result<std::optional<GcpVmRecord>> read_gcp_vm_record(core::StateStore& state,
                                                      std::string_view env_name);
Status write_gcp_vm_record(core::StateStore& state, std::string_view env_name,
                           const GcpVmRecord& record);
Status remove_gcp_vm_record(core::StateStore& state, std::string_view env_name);

}  // namespace deepdock::app
