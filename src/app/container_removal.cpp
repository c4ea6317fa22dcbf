#include "app/container_removal.hpp"

#include <fmt/format.h>

#include <thread>

#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kWaitStep = std::chrono::milliseconds(200);

// Waits until the engine no longer knows `id`.
Status wait_until_gone(core::ContainerEngine& engine, const std::string& id,
                       std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    auto info = engine.inspect_container(id);
    if (!info) {
      if (info.error().code == ErrorCode::kNotFound) {
        return {};
      }
      return fail(info.error());
    }
    if (Clock::now() >= deadline) {
      return fail(ErrorCode::kTimeout,
                  fmt::format("container {} is still being removed by the engine after {} s",
                              id.substr(0, 12),
                              std::chrono::duration_cast<std::chrono::seconds>(limit).count()),
                  "run the same command again once the engine has finished");
    }
    if (!util::sleep_unless_cancelled(kWaitStep)) {
      return fail(ErrorCode::kCancelled, "interrupted while waiting for a container removal",
                  "run the same command again to continue");
    }
  }
}

}  // namespace

Status remove_container_converging(core::ContainerEngine& engine, const std::string& id,
                                   int stop_timeout_seconds, bool remove_volumes,
                                   std::chrono::milliseconds wait_limit) {
  auto stopped = engine.stop_container(id, stop_timeout_seconds);
  if (!stopped && stopped.error().code != ErrorCode::kNotFound &&
      stopped.error().code != ErrorCode::kConflict) {
    return stopped;
  }
  auto removed = engine.remove_container(id, true, remove_volumes);
  if (removed || removed.error().code == ErrorCode::kNotFound) {
    return {};
  }
  if (removed.error().code == ErrorCode::kConflict) {
    // An interrupted run asked for this removal and the engine is still at it.
    return wait_until_gone(engine, id, wait_limit);
  }
  return removed;
}

}  // namespace deepdock::app
