#pragma once
// One try to create the environment's VM in one zone, and the cleanup of a try that failed
// or was interrupted. The record is written before the insert; the insert is retried with
// the same request id when its answer was lost (Compute makes a repeated request a no-op);
// a VM the try left behind is deleted; and the record is removed only when the insert's
// operation is known to be over and the VM is known to be gone. Anything less keeps the
// record, so `down` can finish the job.

#include <optional>
#include <string>

#include "app/gcp_deps.hpp"
#include "app/gcp_plan.hpp"
#include "app/gcp_vm_record.hpp"
#include "core/gcp/failure_class.hpp"

namespace deepdock::app {

struct ZoneAttemptResult {
  enum class Kind {
    kCreated,  // the insert succeeded; `instance` may still be PROVISIONING
    kRefused,  // Compute refused (`failure`, classified in `failure_class`); cleaned up
    kLost,     // the insert or its wait failed in transport or timed out; cleaned up
  };
  Kind kind = Kind::kRefused;
  core::CloudFailure failure;
  core::FailureClass failure_class;
  std::string message;  // kLost: what went wrong
};

// Tries `zone`. An error means provisioning must stop: the record could not be written,
// the user interrupted (kCancelled, after the cleanup), or the try's VM could not be
// proved gone (the record kept; the message says so).
Result<ZoneAttemptResult> try_zone(const GcpVmRequest& request, const GcpVmPlan& plan,
                                   const core::ZoneCandidate& zone, GcpDeps& deps);

// Deletes the recorded VM if it exists (waiting for a pending insert first when
// `insert_done` is false) and removes the record once sure. Cancellation is set aside while
// it runs (a cleanup must finish) and restored after. Ok(true): the VM is gone and the
// record removed; Ok(false): not sure, the record kept.
Result<bool> clean_up_attempt(const GcpVmRequest& request, const GcpVmRecord& record,
                              bool insert_done, GcpDeps& deps);

}  // namespace deepdock::app
