#include "app/gcp_attempt.hpp"

#include <fmt/format.h>

#include "app/gcp_operation.hpp"
#include "app/gcp_vm_removal.hpp"
#include "core/gcp/instance_spec.hpp"
#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

constexpr int kInsertTries = 3;

bool retryable(const Error& error) {
  return error.code != ErrorCode::kCancelled && error.code != ErrorCode::kPermissionDenied &&
         error.code != ErrorCode::kInvalidInput;
}

// The attempt ended without a usable VM: clean up, then say how provisioning goes on.
Result<ZoneAttemptResult> after_failure(const GcpVmRequest& request, const GcpVmRecord& record,
                                        bool insert_done, GcpDeps& deps, ZoneAttemptResult result) {
  auto cleaned = clean_up_attempt(request, record, insert_done, deps);
  if (util::cancel_requested()) {
    return fail(ErrorCode::kCancelled,
                fmt::format("interrupted while creating VM {} in {}{}", record.name, record.zone,
                            cleaned && *cleaned ? "; the VM was deleted"
                                                : "; the VM may remain and is recorded"),
                cleaned && *cleaned ? "run `deepdock up` again to create it"
                                    : "`deepdock down --delete` removes it");
  }
  if (!cleaned) {
    return fail(ErrorCode::kFailure,
                fmt::format("creating VM {} in {} failed ({}), and removing what it left failed: "
                            "{}",
                            record.name, record.zone,
                            result.message.empty() ? result.failure.message : result.message,
                            cleaned.error().message),
                "`deepdock down --delete` removes it (the VM is recorded); then `deepdock up`");
  }
  if (!*cleaned) {
    return fail(ErrorCode::kFailure,
                fmt::format("creating VM {} in {} failed ({}) and Compute did not confirm the "
                            "create is over; the VM is recorded in case it appears",
                            record.name, record.zone,
                            result.message.empty() ? result.failure.message : result.message),
                "run `deepdock down --delete` to remove it, then `deepdock up` again");
  }
  return result;
}

ZoneAttemptResult lost(std::string message) {
  ZoneAttemptResult result;
  result.kind = ZoneAttemptResult::Kind::kLost;
  result.message = std::move(message);
  return result;
}

}  // namespace

Result<bool> clean_up_attempt(const GcpVmRequest& request, const GcpVmRecord& record,
                              bool insert_done, GcpDeps& deps) {
  const CancelSetAside set_aside;
  bool insert_over = insert_done;
  if (!insert_over && !record.operation.empty()) {
    auto operation = wait_gcp_operation(
        deps, {.project = record.project,
               .zone = record.zone,
               .operation = record.operation,
               .what = fmt::format("waiting for the create of VM {} to end", record.name),
               .timeout = request.operation_timeout,
               .honour_cancel = false});
    // An operation Compute no longer knows is long over.
    insert_over = operation.has_value() || operation.error().code == ErrorCode::kNotFound;
  }
  TRY(delete_vm_and_wait(deps, record.project, record.zone, record.name,
                         request.operation_timeout));
  if (!insert_over) {
    return false;
  }
  (void)remove_gcp_vm_record(deps.state, request.env_name);
  return true;
}

Result<ZoneAttemptResult> try_zone(const GcpVmRequest& request, const GcpVmPlan& plan,
                                   const core::ZoneCandidate& zone, GcpDeps& deps) {
  GcpVmRecord record{
      plan.project,          zone.zone, core::gcp_vm_name(request.env_name), "creating",
      deps.new_request_id(), ""};
  // Before the insert: whatever happens next, `down` can find the VM.
  TRY(write_gcp_vm_record(deps.state, request.env_name, record));

  const core::CloudInstanceSpec spec = core::make_instance_spec({
      .env_name = request.env_name,
      .zone = zone.zone,
      .machine_type = plan.machine_type,
      .built_in_gpus = plan.built_in_gpus,
      .accelerator = plan.accelerator,
      .count = plan.count,
      .source_image = plan.source_image,
      .disk_gb = request.target.disk_gb,
      .spot = plan.spot,
      .metadata = request.metadata,
  });
  Result<core::CloudOperation> operation = fail(ErrorCode::kFailure, "not tried");
  for (int tries = 0; tries < kInsertTries; ++tries) {
    operation = deps.compute.insert_instance(plan.project, spec, record.request_id);
    if (operation || !retryable(operation.error())) {
      break;
    }
  }
  if (!operation) {
    return after_failure(request, record, false, deps,
                         lost(fmt::format("the insert failed: {}", operation.error().message)));
  }
  record.operation = operation->name;
  (void)write_gcp_vm_record(deps.state, request.env_name, record);

  if (!operation->done()) {
    auto waited =
        wait_gcp_operation(deps, {.project = plan.project,
                                  .zone = zone.zone,
                                  .operation = operation->name,
                                  .what = fmt::format("creating VM {} in {}", spec.name, zone.zone),
                                  .timeout = request.operation_timeout,
                                  .honour_cancel = true});
    if (!waited) {
      return after_failure(request, record, false, deps, lost(waited.error().message));
    }
    operation = std::move(waited);
  }
  if (operation->error) {
    ZoneAttemptResult result;
    result.kind = ZoneAttemptResult::Kind::kRefused;
    result.failure = *operation->error;
    result.failure_class = core::classify_failure(result.failure, plan.project, zone.region);
    return after_failure(request, record, true, deps, std::move(result));
  }
  if (util::cancel_requested()) {
    return after_failure(request, record, true, deps, lost("interrupted"));
  }
  record.state = "created";
  (void)write_gcp_vm_record(deps.state, request.env_name, record);
  ZoneAttemptResult result;
  result.kind = ZoneAttemptResult::Kind::kCreated;
  return result;
}

}  // namespace deepdock::app
