#include "core/gcp/accelerator_catalog.hpp"

#include <algorithm>

namespace deepdock::core {

std::string_view to_string(MachineFamily family) {
  switch (family) {
    case MachineFamily::kN1:
      return "N1";
    case MachineFamily::kG2:
      return "G2";
    case MachineFamily::kA2High:
      return "A2 high-GPU";
    case MachineFamily::kA2Ultra:
      return "A2 ultra-GPU";
    case MachineFamily::kA3High:
      return "A3 high-GPU";
  }
  return "?";
}

const std::vector<AcceleratorInfo>& accelerator_catalog() {
  // Metric names: api-reference A.6 (Compute v1's Quota.metric enum). Counts per VM: the
  // shapes Compute accepts for each GPU (N1: 1, 2, 4 and, for K80/V100, 8). GPU model names
  // are the knowledge base's (data/compat.json).
  static const std::vector<AcceleratorInfo> catalog = {
      {"nvidia-tesla-k80",
       "Tesla K80",
       "NVIDIA_K80_GPUS",
       "PREEMPTIBLE_NVIDIA_K80_GPUS",
       MachineFamily::kN1,
       {1, 2, 4, 8}},
      {"nvidia-tesla-p4",
       "Tesla P4",
       "NVIDIA_P4_GPUS",
       "PREEMPTIBLE_NVIDIA_P4_GPUS",
       MachineFamily::kN1,
       {1, 2, 4}},
      {"nvidia-tesla-p100",
       "Tesla P100",
       "NVIDIA_P100_GPUS",
       "PREEMPTIBLE_NVIDIA_P100_GPUS",
       MachineFamily::kN1,
       {1, 2, 4}},
      {"nvidia-tesla-v100",
       "Tesla V100",
       "NVIDIA_V100_GPUS",
       "PREEMPTIBLE_NVIDIA_V100_GPUS",
       MachineFamily::kN1,
       {1, 2, 4, 8}},
      {"nvidia-tesla-t4",
       "Tesla T4",
       "NVIDIA_T4_GPUS",
       "PREEMPTIBLE_NVIDIA_T4_GPUS",
       MachineFamily::kN1,
       {1, 2, 4}},
      {"nvidia-l4",
       "L4",
       "NVIDIA_L4_GPUS",
       "PREEMPTIBLE_NVIDIA_L4_GPUS",
       MachineFamily::kG2,
       {1, 2, 4, 8}},
      {"nvidia-tesla-a100",
       "A100 40GB",
       "NVIDIA_A100_GPUS",
       "PREEMPTIBLE_NVIDIA_A100_GPUS",
       MachineFamily::kA2High,
       {1, 2, 4, 8}},
      {"nvidia-a100-80gb",
       "A100 80GB",
       "NVIDIA_A100_80GB_GPUS",
       "PREEMPTIBLE_NVIDIA_A100_80GB_GPUS",
       MachineFamily::kA2Ultra,
       {1, 2, 4, 8}},
      // Compute v1 has no on-demand H100 metric, only PREEMPTIBLE_ and COMMITTED_.
      {"nvidia-h100-80gb",
       "H100 80GB",
       "",
       "PREEMPTIBLE_NVIDIA_H100_GPUS",
       MachineFamily::kA3High,
       {1, 2, 4, 8}},
  };
  return catalog;
}

const AcceleratorInfo* find_accelerator(std::string_view type) {
  const auto& catalog = accelerator_catalog();
  const auto it = std::find_if(catalog.begin(), catalog.end(),
                               [&](const AcceleratorInfo& info) { return info.type == type; });
  return it == catalog.end() ? nullptr : &*it;
}

std::optional<std::string> regional_gpu_metric(std::string_view type, bool spot) {
  const AcceleratorInfo* info = find_accelerator(type);
  if (info == nullptr) {
    return std::nullopt;
  }
  const std::string_view metric = spot ? info->spot_metric : info->on_demand_metric;
  if (metric.empty()) {
    return std::nullopt;
  }
  return std::string(metric);
}

std::vector<std::string_view> known_accelerator_types() {
  std::vector<std::string_view> types;
  for (const AcceleratorInfo& info : accelerator_catalog()) {
    types.push_back(info.type);
  }
  return types;
}

}  // namespace deepdock::core
