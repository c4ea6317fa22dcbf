#pragma once
// What the Google Cloud VM use cases (gcp_plan, gcp_provision, gcp_vm_lifecycle,
// gcp_startup_script) work through: the Compute port, the state store that remembers the
// environment's VM, and the clock, sleep and request ids, injectable so tests run
// instantly and deterministically. An observer hears progress ("trying us-west1-b ...")
// and every attempt as it ends.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/ports/cloud_compute.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::app {

using GcpClock = std::chrono::steady_clock;

// One try to create (or start) the VM in a zone, or a zone ruled out before trying.
struct GcpAttempt {
  std::string zone;
  std::string region;
  std::string outcome;  // "created", "stocked out", "regional quota", "not offered", ...
  std::string message;  // Compute's text, or why the zone was skipped
  std::string hint;     // how to get past it (quota: where to ask for more); may be empty
  double seconds = 0;
  bool tried = true;  // false: ruled out before any API call
};

class GcpObserver {
 public:
  virtual ~GcpObserver() = default;
  virtual void line(std::string_view /*text*/) {}  // "trying us-west1-b (us-west1) ..."
  virtual void attempt_finished(const GcpAttempt& /*attempt*/) {}
};

struct GcpDeps {
  core::CloudCompute& compute;
  core::StateStore& state;
  GcpObserver& observer;
  std::function<GcpClock::time_point()> now;
  // Sleeps; false when cancelled meanwhile (util::sleep_unless_cancelled).
  std::function<bool(std::chrono::milliseconds)> sleep;
  // A fresh request id for a mutating call (a UUID v4).
  std::function<std::string()> new_request_id;
};

// Deps with the real clock, util::sleep_unless_cancelled and random UUIDs.
GcpDeps make_gcp_deps(core::CloudCompute& compute, core::StateStore& state, GcpObserver& observer);

// A random UUID v4 ("4f1c9a52-0c3e-4a8e-9d36-3b2b8f0e6a11") from util::random_hex.
std::string new_uuid_v4();

// Formats 16 bytes given as 32 hex digits as a UUID v4 (version and variant bits set).
std::string format_uuid_v4(std::string_view hex32);

}  // namespace deepdock::app
