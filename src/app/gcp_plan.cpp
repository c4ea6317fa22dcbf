#include "app/gcp_plan.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/gcp/accelerator_catalog.hpp"
#include "core/gcp/instance_spec.hpp"
#include "core/gcp/machine_match.hpp"
#include "core/gcp/price_table.hpp"
#include "core/spec/did_you_mean.hpp"

namespace deepdock::app {
namespace {

// kIncompatible for an accelerator no zone offers, with the catalog's nearest spelling.
Error offered_nowhere(const GcpVmRequest& request) {
  const std::string& accelerator = request.target.accelerator;
  const std::vector<std::string_view> known = core::known_accelerator_types();
  std::string hint;
  if (auto near = core::did_you_mean(accelerator, known)) {
    hint = fmt::format("did you mean {}? ", *near);
  }
  hint += fmt::format(
      "accelerators deepdock knows: {}; `gcloud compute accelerator-types list --project {}` "
      "lists what the project can use",
      fmt::join(known, ", "), request.target.project);
  return Error{ErrorCode::kIncompatible,
               fmt::format("no zone of project {} offers accelerator {}", request.target.project,
                           accelerator),
               hint};
}

std::string describe_free(const core::ZoneCandidate& candidate, const std::string& metric) {
  if (!candidate.free_quota) {
    return fmt::format("{} (quota unknown)", candidate.zone);
  }
  return fmt::format("{} ({} free {})", candidate.zone, *candidate.free_quota, metric);
}

}  // namespace

Result<GcpVmPlan> plan_gcp_vm(const GcpVmRequest& request, GcpDeps& deps) {
  const core::GcpTarget& target = request.target;
  if (target.project.empty()) {
    return fail(ErrorCode::kInvalidInput, "no Google Cloud project for the VM",
                "set target.gcp.project in deepdock.yaml, or `gcloud config set project P`");
  }
  TRY_ASSIGN(const core::MachineChoice machine,
             core::match_machine_type(target.accelerator, target.count, target.machine_type));

  GcpVmPlan plan;
  plan.project = target.project;
  plan.machine_type = machine.machine_type;
  plan.machine_reason = machine.reason;
  plan.built_in_gpus = machine.built_in_gpus;
  plan.accelerator = target.accelerator;
  plan.count = target.count;
  plan.spot = target.spot;
  plan.source_image = request.source_image.empty() ? core::gcp_source_image(target.image_family)
                                                   : request.source_image;
  if (const core::AcceleratorInfo* info = core::find_accelerator(target.accelerator)) {
    plan.gpu_model = std::string(info->gpu_model);
  }
  plan.quota_metric = core::regional_gpu_metric(target.accelerator, target.spot).value_or("");

  core::ZoneSelectionInput input;
  input.project = target.project;
  input.accelerator = target.accelerator;
  input.count = target.count;
  input.spot = target.spot;
  input.spec_zones = target.zones;
  input.preferred_region = request.preferred_region;
  input.metric = plan.quota_metric;
  TRY_ASSIGN(input.offers, deps.compute.accelerator_offers(target.project, target.accelerator));
  const bool offered = std::any_of(
      input.offers.begin(), input.offers.end(),
      [&](const core::CloudAcceleratorOffer& offer) { return offer.name == target.accelerator; });
  if (!offered) {
    return fail(offered_nowhere(request));
  }
  TRY_ASSIGN(input.zones, deps.compute.list_zones(target.project));
  TRY_ASSIGN(input.project_quotas, deps.compute.project_quotas(target.project));
  for (const std::string& region : core::regions_to_read(input)) {
    auto read = deps.compute.get_region(target.project, region);
    if (!read) {
      return fail(read.error().context(fmt::format("reading the quotas of region {}", region)));
    }
    input.region_quotas[region] = read->quotas;
  }
  TRY_ASSIGN(core::ZoneSelection selection, core::select_zones(input));
  plan.candidates = std::move(selection.candidates);
  plan.global_free = selection.global_free;
  for (core::SkippedZone& skipped : selection.skipped) {
    plan.skipped.push_back(
        GcpAttempt{skipped.zone, skipped.region, skipped.outcome, skipped.message, "", 0, false});
  }

  // The machine type, in the first zone to try: it must exist there, and it tells the vCPUs.
  const std::string& first_zone = plan.candidates.front().zone;
  auto type = deps.compute.get_machine_type(target.project, first_zone, plan.machine_type);
  if (!type) {
    if (type.error().code == ErrorCode::kNotFound) {
      return fail(
          ErrorCode::kInvalidInput,
          fmt::format("machine type {} does not exist in {}", plan.machine_type, first_zone),
          "check target.gcp.machine_type (`gcloud compute machine-types list --zones "
          "ZONE`), or leave it out");
    }
    return fail(type.error().context(fmt::format("reading machine type {}", plan.machine_type)));
  }
  plan.guest_cpus = type->guest_cpus;
  plan.memory_mb = type->memory_mb;
  if (plan.built_in_gpus && type->built_in_accelerator_count > 0 &&
      type->built_in_accelerator_count != plan.count) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("machine type {} carries {} GPUs, the spec asks for {}",
                            plan.machine_type, type->built_in_accelerator_count, plan.count),
                "make target.gcp.count match, or leave target.gcp.machine_type out");
  }
  if (const auto price =
          core::estimate_price(plan.accelerator, plan.count, plan.machine_type, plan.guest_cpus)) {
    plan.price_per_hour = plan.spot ? price->spot_per_hour : price->on_demand_per_hour;
    plan.price_note = std::string(core::kPriceNote);
  }
  return plan;
}

std::vector<std::string> format_gcp_vm_plan(const GcpVmPlan& plan) {
  std::vector<std::string> lines;
  const std::string model = plan.gpu_model.empty() ? "" : fmt::format(" ({})", plan.gpu_model);
  lines.push_back(fmt::format("machine   {} ({} vCPUs, {} GB) {} {} x {}{}, {}", plan.machine_type,
                              plan.guest_cpus, plan.memory_mb / 1024,
                              plan.built_in_gpus ? "with built-in" : "+", plan.count,
                              plan.accelerator, model, plan.spot ? "Spot" : "on-demand"));
  lines.push_back(fmt::format("image     {}", plan.source_image));
  lines.push_back(plan.price_per_hour ? fmt::format("price     ~${:.2f}/hour ({})",
                                                    *plan.price_per_hour, plan.price_note)
                                      : std::string("price     unknown for this machine"));
  lines.push_back(fmt::format(
      "quota     {}{}", plan.quota_metric.empty() ? "not reported by Compute" : plan.quota_metric,
      plan.global_free ? fmt::format(", {} GPUS_ALL_REGIONS free", *plan.global_free) : ""));
  std::vector<std::string> zones;
  for (const core::ZoneCandidate& candidate : plan.candidates) {
    zones.push_back(describe_free(candidate, plan.quota_metric));
  }
  lines.push_back(fmt::format("zones     {}", fmt::join(zones, ", ")));
  for (const GcpAttempt& skipped : plan.skipped) {
    lines.push_back(
        fmt::format("skipped   {}: {} ({})", skipped.zone, skipped.outcome, skipped.message));
  }
  return lines;
}

}  // namespace deepdock::app
