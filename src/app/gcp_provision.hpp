#pragma once
// Getting the environment's Google Cloud GPU VM running: the VM the state store records is
// reused (RUNNING) or started (TERMINATED/STOPPED); otherwise the plan's zones are tried
// in order, failing over zone -> region -> stop as core/gcp/failure_class says. Nothing
// leaks: the record is written before each insert, a failed or interrupted attempt's VM is
// deleted and its record removed only once the VM is known to be gone, and an attempt
// whose VM could not be removed stops provisioning with the record kept for `down`.

#include <optional>
#include <string>
#include <vector>

#include "app/gcp_deps.hpp"
#include "app/gcp_plan.hpp"

namespace deepdock::app {

struct GcpVmResult {
  std::string project;
  core::CloudInstance instance;      // RUNNING, with its external IP
  std::string outcome;               // "created", "reused", "started"
  std::vector<GcpAttempt> attempts;  // skipped zones first (tried = false), then each try
  std::optional<GcpVmPlan> plan;     // when a VM was created
  std::vector<std::string> notes;    // the VM differs from the spec, a record was stale, ...
};

// On failure the error's message ends with the attempts table (format_gcp_attempts). Codes:
// kUnavailable (every zone stocked out: try later or other zones), kPrecondition (quota),
// kPermissionDenied, kIncompatible (offered nowhere), kTimeout, kCancelled (Ctrl-C: what
// was being created is deleted first), kConflict (the record names another project).
Result<GcpVmResult> provision_gcp_vm(const GcpVmRequest& request, GcpDeps& deps);

// The attempts as aligned text rows: zone, region, outcome, seconds, message.
std::vector<std::string> format_gcp_attempts(const std::vector<GcpAttempt>& attempts);

}  // namespace deepdock::app
