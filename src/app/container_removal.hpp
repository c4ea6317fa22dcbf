#pragma once
// Stopping and removing one of deepdock's containers so that the outcome does not depend on
// what an interrupted run left under way: a removal the engine is still doing (409 "removal
// ... is already in progress") is waited for, and a container already gone is success.

#include <chrono>
#include <string>

#include "core/ports/container_engine.hpp"

namespace deepdock::app {

// Stops (with `stop_timeout_seconds` before SIGKILL) and removes `id`, waiting up to
// `wait_limit` for a removal already in progress to finish.
Status remove_container_converging(core::ContainerEngine& engine, const std::string& id,
                                   int stop_timeout_seconds, bool remove_volumes,
                                   std::chrono::milliseconds wait_limit = std::chrono::seconds(60));

}  // namespace deepdock::app
