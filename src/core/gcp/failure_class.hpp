#pragma once
// What a failed VM create means for the next try (api-reference A.5, the rules SkyPilot's
// GCP failover uses): a stockout or anything unknown rules out the zone, a regional quota
// the whole region, and a global quota, a permission, a missing network or a bad request
// everything, since no other zone would fare better.

#include <string>

#include "core/ports/cloud_compute.hpp"

namespace deepdock::core {

enum class BlockScope { kZone, kRegion, kEverything };

std::string_view to_string(BlockScope scope);

struct FailureClass {
  BlockScope scope = BlockScope::kZone;
  // The attempts table's words: "stocked out", "regional quota", "global GPU quota", "not
  // offered", "permission", "busy", "location unavailable", "network", "disk too small",
  // "invalid request", "failed".
  std::string outcome;
  std::string quota_metric;  // for quotas: the metric the message names, if any
  std::string hint;          // what to do about it; may be empty
};

// `project` and `region` are the attempt's, for the quota hint.
FailureClass classify_failure(const CloudFailure& failure, const std::string& project,
                              const std::string& region);

// The metric out of "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-central1."
// ("" when the message names none).
std::string quota_metric_in(std::string_view message);

}  // namespace deepdock::core
