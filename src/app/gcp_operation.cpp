#include "app/gcp_operation.hpp"

#include <fmt/format.h>

#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

constexpr auto kBetweenWaits = std::chrono::milliseconds(2000);

}  // namespace

Result<core::CloudOperation> wait_gcp_operation(GcpDeps& deps, const OperationWait& wait) {
  const auto deadline = deps.now() + wait.timeout;
  while (true) {
    if (wait.honour_cancel && util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, fmt::format("{}: interrupted", wait.what));
    }
    auto operation = deps.compute.wait_operation(wait.project, wait.zone, wait.operation);
    if (!operation) {
      return fail(operation.error().context(wait.what));
    }
    if (operation->done()) {
      return std::move(*operation);
    }
    if (deps.now() >= deadline) {
      return fail(
          ErrorCode::kTimeout,
          fmt::format("{}: operation {} not done after {} s (status {}, {}%)", wait.what,
                      wait.operation, wait.timeout.count(), operation->status, operation->progress),
          "Compute may still finish it: `deepdock status` shows the VM; `deepdock down "
          "--delete` removes it");
    }
    // zoneOperations.wait returned early (its own deadline, or at once): pause briefly.
    if (!deps.sleep(kBetweenWaits) && wait.honour_cancel) {
      return fail(ErrorCode::kCancelled, fmt::format("{}: interrupted", wait.what));
    }
  }
}

}  // namespace deepdock::app
