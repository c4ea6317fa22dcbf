#pragma once
// Waiting for a zone operation: zoneOperations.wait returns at the latest after about two
// minutes, so it is called in a loop until the operation is DONE, the deadline passes
// (kTimeout) or the user interrupts (kCancelled, unless the wait is part of a cleanup that
// must finish).

#include <chrono>
#include <string>

#include "app/gcp_deps.hpp"

namespace deepdock::app {

struct OperationWait {
  std::string project;
  std::string zone;
  std::string operation;
  std::string what;  // "creating VM deepdock-x in us-west1-b", for messages
  std::chrono::seconds timeout{600};
  bool honour_cancel = true;
};

// The DONE operation (its `error` set when it failed).
Result<core::CloudOperation> wait_gcp_operation(GcpDeps& deps, const OperationWait& wait);

}  // namespace deepdock::app
