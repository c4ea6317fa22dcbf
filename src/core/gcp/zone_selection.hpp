#pragma once
// Where to try creating a GPU VM, in order, decided before any insert from what Compute
// says: the zones that offer the accelerator, the regions' quota for it and the project's
// GPUS_ALL_REGIONS. The spec's zones are tried in the spec's order (one that does not
// offer the accelerator becomes a "not offered" row, never an API call); without spec
// zones, the zones of the preferred region (the gcloud configuration's) come first, then
// every other region's, a region's zones together so that a regional failure skips them
// all at once. A quota Compute does not report is unknown, and tried.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/cloud_compute.hpp"
#include "util/error.hpp"

namespace deepdock::core {

struct ZoneCandidate {
  std::string zone;
  std::string region;
  std::optional<double> free_quota;  // limit - usage of the regional metric; nullopt = unknown
};

// A zone ruled out before trying it.
struct SkippedZone {
  std::string zone;
  std::string region;
  std::string outcome;  // "not offered", "regional quota", "zone down"
  std::string message;
};

struct ZoneSelectionInput {
  std::string project;
  std::string accelerator;
  int count = 1;
  bool spot = false;
  std::vector<std::string> spec_zones;  // empty = every zone offering it
  std::string preferred_region;         // "" = none
  std::vector<CloudZone> zones;         // list_zones
  std::vector<CloudAcceleratorOffer> offers;
  // Regions' quotas by region name; a region absent here has unknown quotas.
  std::map<std::string, std::vector<CloudQuota>> region_quotas;
  std::vector<CloudQuota> project_quotas;
  std::string metric;  // the regional metric; "" = unknown (e.g. on-demand H100)
};

struct ZoneSelection {
  std::vector<ZoneCandidate> candidates;
  std::vector<SkippedZone> skipped;
  std::optional<double> global_free;  // GPUS_ALL_REGIONS limit - usage; nullopt = unknown
};

// The regions whose quotas selection needs (those of the zones that can be tried), in the
// order they will be tried; read each with get_region before select_zones.
std::vector<std::string> regions_to_read(const ZoneSelectionInput& input);

// kIncompatible when no zone (or no spec zone) offers the accelerator; kPrecondition when
// GPUS_ALL_REGIONS cannot fit the count, or no region has the quota (with how to ask for
// more).
Result<ZoneSelection> select_zones(const ZoneSelectionInput& input);

// The region of a zone name: "us-central1-a" -> "us-central1".
std::string region_of_zone(std::string_view zone);

}  // namespace deepdock::core
