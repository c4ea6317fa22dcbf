#include "quota.hpp"

#include "catalog.hpp"

namespace deepdock::gcpemu {
namespace {

double regional_usage(const std::string& region, const std::string& metric,
                      const std::vector<Demand>& held) {
  double usage = 0;
  for (const Demand& demand : held) {
    if (demand.region == region) {
      const auto found = demand.regional.find(metric);
      usage += found == demand.regional.end() ? 0 : found->second;
    }
  }
  return usage;
}

double global_usage(const std::string& metric, const std::vector<Demand>& held) {
  double usage = 0;
  for (const Demand& demand : held) {
    const auto found = demand.global.find(metric);
    usage += found == demand.global.end() ? 0 : found->second;
  }
  return usage;
}

nlohmann::json quota_item(const std::string& metric, double limit, double usage) {
  return {{"metric", metric}, {"limit", limit}, {"usage", usage}};
}

}  // namespace

Demand demand_of(const std::string& zone, const std::string& machine_type,
                 const std::string& accelerator, int accelerator_count, bool spot) {
  Demand demand;
  demand.region = region_of(zone);
  const auto type = find_machine_type(machine_type);
  const double cpus = type ? type->guest_cpus : 0;
  demand.regional[cpu_metric(machine_type)] += cpus;
  if (spot) {
    demand.regional["PREEMPTIBLE_CPUS"] += cpus;
  }
  demand.regional["INSTANCES"] += 1;
  demand.global["CPUS_ALL_REGIONS"] += cpus;
  std::string gpu = accelerator;
  int gpus = accelerator_count;
  if (gpu.empty() && type && type->accelerator_count > 0) {
    gpu = type->accelerator;
    gpus = type->accelerator_count;
  }
  if (!gpu.empty() && gpus > 0) {
    const std::string metric = accelerator_info(gpu).metric;
    demand.regional[spot ? "PREEMPTIBLE_" + metric : metric] += gpus;
    demand.global["GPUS_ALL_REGIONS"] += gpus;
  }
  return demand;
}

std::optional<OperationError> QuotaBook::check(const Demand& wanted,
                                               const std::vector<Demand>& held) const {
  if (const auto limits = scenario_.region_quotas.find(wanted.region);
      limits != scenario_.region_quotas.end()) {
    for (const auto& [metric, amount] : wanted.regional) {
      const auto limit = limits->second.find(metric);
      if (limit != limits->second.end() &&
          regional_usage(wanted.region, metric, held) + amount > limit->second) {
        return quota_error(metric, limit->second, "in region " + wanted.region);
      }
    }
  }
  for (const auto& [metric, amount] : wanted.global) {
    const auto limit = scenario_.project_quotas.find(metric);
    if (limit != scenario_.project_quotas.end() &&
        global_usage(metric, held) + amount > limit->second) {
      return quota_error(metric, limit->second, "globally");
    }
  }
  return std::nullopt;
}

nlohmann::json QuotaBook::region_quotas(const std::string& region,
                                        const std::vector<Demand>& held) const {
  nlohmann::json quotas = nlohmann::json::array();
  if (const auto limits = scenario_.region_quotas.find(region);
      limits != scenario_.region_quotas.end()) {
    for (const auto& [metric, limit] : limits->second) {
      quotas.push_back(quota_item(metric, limit, regional_usage(region, metric, held)));
    }
  }
  return quotas;
}

nlohmann::json QuotaBook::project_quotas(const std::vector<Demand>& held) const {
  nlohmann::json quotas = nlohmann::json::array();
  for (const auto& [metric, limit] : scenario_.project_quotas) {
    quotas.push_back(quota_item(metric, limit, global_usage(metric, held)));
  }
  return quotas;
}

}  // namespace deepdock::gcpemu
