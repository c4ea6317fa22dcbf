#include "app/gcp_vm_removal.hpp"

#include <fmt/format.h>

#include "app/gcp_operation.hpp"
#include "core/gcp/instance_spec.hpp"
#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

constexpr int kCallTries = 3;
constexpr auto kPollInterval = std::chrono::milliseconds(2000);

bool is_gone(const core::CloudFailure& failure) {
  return failure.reason == "notFound" || failure.reason == "RESOURCE_NOT_FOUND" ||
         failure.http_status == 404;
}

}  // namespace

CancelSetAside::CancelSetAside() : was_cancelled_(util::cancel_requested()) {
  util::reset_cancel();
}

CancelSetAside::~CancelSetAside() {
  if (was_cancelled_) {
    util::request_cancel();
  }
}

Result<bool> delete_vm_and_wait(GcpDeps& deps, const std::string& project, const std::string& zone,
                                const std::string& name, std::chrono::seconds timeout) {
  const std::string what = fmt::format("deleting VM {} in {}", name, zone);
  TRY_ASSIGN(const std::optional<core::CloudInstance> found,
             deps.compute.get_instance(project, zone, name));
  if (!found) {
    return false;
  }
  if (!core::is_deepdock_managed(*found)) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("VM {} in {} lacks the label deepdock-managed=true: deepdock did not "
                            "create it and will not delete it",
                            name, zone),
                "delete it yourself if it is yours to delete");
  }
  const std::string request_id = deps.new_request_id();
  Result<core::CloudOperation> operation = fail(ErrorCode::kFailure, "not tried");
  for (int tries = 0; tries < kCallTries; ++tries) {
    operation = deps.compute.delete_instance(project, zone, name, request_id);
    if (operation || operation.error().code == ErrorCode::kNotFound ||
        operation.error().code == ErrorCode::kCancelled ||
        operation.error().code == ErrorCode::kPermissionDenied) {
      break;
    }
  }
  if (!operation) {
    if (operation.error().code == ErrorCode::kNotFound) {
      return true;
    }
    return fail(operation.error().context(what));
  }
  if (!operation->done()) {
    TRY_ASSIGN(*operation, wait_gcp_operation(deps, {.project = project,
                                                     .zone = zone,
                                                     .operation = operation->name,
                                                     .what = what,
                                                     .timeout = timeout,
                                                     .honour_cancel = false}));
  }
  if (operation->error && !is_gone(*operation->error)) {
    return fail(ErrorCode::kFailure,
                fmt::format("{}: Compute refused: {}", what, operation->error->message),
                fmt::format("run `deepdock down --delete` again, or delete it in the console "
                            "(project {})",
                            project));
  }
  // The operation is over; the VM must be gone now (poll briefly in case it lingers).
  const auto deadline = deps.now() + timeout;
  while (true) {
    TRY_ASSIGN(const std::optional<core::CloudInstance> left,
               deps.compute.get_instance(project, zone, name));
    if (!left) {
      return true;
    }
    if (deps.now() >= deadline) {
      return fail(ErrorCode::kTimeout,
                  fmt::format("{}: still there ({}) after the delete finished", what, left->status),
                  "run `deepdock down --delete` again");
    }
    if (!deps.sleep(kPollInterval) && util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, fmt::format("{}: interrupted", what));
    }
  }
}

}  // namespace deepdock::app
