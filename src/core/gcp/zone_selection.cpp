#include "core/gcp/zone_selection.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "core/gcp/accelerator_catalog.hpp"
#include "core/gcp/quota_advice.hpp"

namespace deepdock::core {
namespace {

std::optional<double> free_of(const std::vector<CloudQuota>& quotas, std::string_view metric) {
  if (metric.empty()) {
    return std::nullopt;
  }
  for (const CloudQuota& quota : quotas) {
    if (quota.metric == metric) {
      return quota.limit - quota.usage;
    }
  }
  return std::nullopt;
}

const CloudAcceleratorOffer* offer_in(const ZoneSelectionInput& input, std::string_view zone) {
  for (const CloudAcceleratorOffer& offer : input.offers) {
    if (offer.zone == zone && offer.name == input.accelerator) {
      return &offer;
    }
  }
  return nullptr;
}

const CloudZone* zone_named(const ZoneSelectionInput& input, std::string_view name) {
  for (const CloudZone& zone : input.zones) {
    if (zone.name == name) {
      return &zone;
    }
  }
  return nullptr;
}

std::string region_for(const ZoneSelectionInput& input, std::string_view zone) {
  const CloudZone* known = zone_named(input, zone);
  return known != nullptr && !known->region.empty() ? known->region : region_of_zone(zone);
}

// The zones to consider, in order, before quotas: the spec's, or every offering zone with
// the preferred region's first and a region's zones together.
std::vector<std::string> ordered_zones(const ZoneSelectionInput& input) {
  if (!input.spec_zones.empty()) {
    return input.spec_zones;
  }
  std::set<std::string> offering;
  for (const CloudAcceleratorOffer& offer : input.offers) {
    if (offer.name == input.accelerator) {
      offering.insert(offer.zone);
    }
  }
  std::vector<std::string> zones(offering.begin(), offering.end());
  std::stable_sort(zones.begin(), zones.end(), [&](const std::string& a, const std::string& b) {
    const std::string region_a = region_for(input, a);
    const std::string region_b = region_for(input, b);
    const bool preferred_a = region_a == input.preferred_region;
    const bool preferred_b = region_b == input.preferred_region;
    if (preferred_a != preferred_b) {
      return preferred_a;
    }
    return region_a != region_b ? region_a < region_b : a < b;
  });
  return zones;
}

// A zone that cannot be tried for what it is, regardless of quota.
std::optional<SkippedZone> unusable(const ZoneSelectionInput& input, const std::string& zone) {
  const std::string region = region_for(input, zone);
  const CloudAcceleratorOffer* offer = offer_in(input, zone);
  if (offer == nullptr) {
    return SkippedZone{zone, region, "not offered",
                       fmt::format("{} does not offer {}", zone, input.accelerator)};
  }
  if (offer->max_per_instance > 0 && offer->max_per_instance < input.count) {
    return SkippedZone{zone, region, "not offered",
                       fmt::format("{} offers at most {} x {} per VM", zone,
                                   offer->max_per_instance, input.accelerator)};
  }
  const CloudZone* known = zone_named(input, zone);
  if (known != nullptr && !known->up) {
    return SkippedZone{zone, region, "zone down", fmt::format("{} is not UP", zone)};
  }
  return std::nullopt;
}

}  // namespace

std::string region_of_zone(std::string_view zone) {
  const size_t dash = zone.rfind('-');
  return std::string(dash == std::string_view::npos ? zone : zone.substr(0, dash));
}

std::vector<std::string> regions_to_read(const ZoneSelectionInput& input) {
  std::vector<std::string> regions;
  for (const std::string& zone : ordered_zones(input)) {
    const std::string region = region_for(input, zone);
    if (!unusable(input, zone) &&
        std::find(regions.begin(), regions.end(), region) == regions.end()) {
      regions.push_back(region);
    }
  }
  return regions;
}

Result<ZoneSelection> select_zones(const ZoneSelectionInput& input) {
  const int count = input.count;
  ZoneSelection selection;
  selection.global_free = free_of(input.project_quotas, kGlobalGpuMetric);
  if (selection.global_free && *selection.global_free < count) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("project {} has {} of its {} free, and this VM needs {}", input.project,
                            *selection.global_free, kGlobalGpuMetric, count),
                quota_hint(input.project, kGlobalGpuMetric, ""));
  }

  bool offered_anywhere = false;
  std::vector<std::string> short_regions;
  for (const std::string& zone : ordered_zones(input)) {
    if (auto skipped = unusable(input, zone)) {
      selection.skipped.push_back(std::move(*skipped));
      continue;
    }
    offered_anywhere = true;
    const std::string region = region_for(input, zone);
    const auto quotas = input.region_quotas.find(region);
    const std::optional<double> free =
        quotas == input.region_quotas.end() ? std::nullopt : free_of(quotas->second, input.metric);
    if (free && *free < count) {
      selection.skipped.push_back(
          {zone, region, "regional quota",
           fmt::format("{} has {} {} free, {} needed", region, *free, input.metric, count)});
      if (std::find(short_regions.begin(), short_regions.end(), region) == short_regions.end()) {
        short_regions.push_back(region);
      }
      continue;
    }
    selection.candidates.push_back({zone, region, free});
  }

  if (!offered_anywhere) {
    const std::string where = input.spec_zones.empty()
                                  ? std::string("any zone")
                                  : fmt::format("zones {}", fmt::join(input.spec_zones, ", "));
    return fail(ErrorCode::kIncompatible,
                fmt::format("{} is not offered in {} of project {}", input.accelerator, where,
                            input.project),
                input.spec_zones.empty()
                    ? fmt::format("`gcloud compute accelerator-types list --project {}` lists "
                                  "what is offered",
                                  input.project)
                    : fmt::format("leave target.gcp.zones out to try every zone that offers it, "
                                  "or see `gcloud compute accelerator-types list --filter "
                                  "name={}`",
                                  input.accelerator));
  }
  if (selection.candidates.empty()) {
    return fail(
        ErrorCode::kPrecondition,
        fmt::format("no region has {} x {} of quota {} free in project {} (checked {})", count,
                    input.accelerator, input.metric, input.project, fmt::join(short_regions, ", ")),
        quota_hint(input.project, input.metric, short_regions.front()));
  }
  // Regions whose quota is known to fit go before those Compute says nothing about, each
  // region's zones kept together; the spec's order is the user's and stays.
  if (input.spec_zones.empty()) {
    std::stable_sort(selection.candidates.begin(), selection.candidates.end(),
                     [&](const ZoneCandidate& a, const ZoneCandidate& b) {
                       const bool preferred_a = a.region == input.preferred_region;
                       const bool preferred_b = b.region == input.preferred_region;
                       if (preferred_a != preferred_b) {
                         return preferred_a;
                       }
                       return a.free_quota.has_value() && !b.free_quota.has_value();
                     });
  }
  return selection;
}

}  // namespace deepdock::core
