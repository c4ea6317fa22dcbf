#pragma once
// Quotas: what an instance consumes (CPUs, GPUs, an instance) in its region and in the
// project, and the check of a new instance against the scenario's limits. Usage is always
// computed from the instances that hold resources, so it changes as they come and go.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "google_errors.hpp"
#include "scenario.hpp"

namespace deepdock::gcpemu {

struct Demand {
  std::string region;
  std::map<std::string, double> regional;  // CPUS, NVIDIA_T4_GPUS, INSTANCES, ...
  std::map<std::string, double> global;    // GPUS_ALL_REGIONS, CPUS_ALL_REGIONS
};

// machine type name, accelerator name (empty: none) and count, Spot or preemptible.
Demand demand_of(const std::string& zone, const std::string& machine_type,
                 const std::string& accelerator, int accelerator_count, bool spot);

class QuotaBook {
 public:
  explicit QuotaBook(const Scenario& scenario) : scenario_(scenario) {}

  // The first limit `wanted` would exceed on top of `held` (what instances hold now).
  [[nodiscard]] std::optional<OperationError> check(const Demand& wanted,
                                                    const std::vector<Demand>& held) const;

  // Region.quotas[] / Project.quotas[]: every metric with a limit, with its usage.
  [[nodiscard]] nlohmann::json region_quotas(const std::string& region,
                                             const std::vector<Demand>& held) const;
  [[nodiscard]] nlohmann::json project_quotas(const std::vector<Demand>& held) const;

 private:
  const Scenario& scenario_;
};

}  // namespace deepdock::gcpemu
