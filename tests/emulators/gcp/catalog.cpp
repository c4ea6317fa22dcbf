#include "catalog.hpp"

#include <algorithm>
#include <cctype>

namespace deepdock::gcpemu {

const std::vector<MachineTypeInfo>& machine_types() {
  static const std::vector<MachineTypeInfo> types = {
      {"e2-medium", 2, 4096},
      {"n1-standard-1", 1, 3840},
      {"n1-standard-2", 2, 7680},
      {"n1-standard-4", 4, 15360},
      {"n1-standard-8", 8, 30720},
      {"n1-standard-16", 16, 61440},
      {"n1-highmem-4", 4, 26624},
      {"n1-highmem-8", 8, 53248},
      {"g2-standard-4", 4, 16384, "nvidia-l4", 1},
      {"g2-standard-8", 8, 32768, "nvidia-l4", 1},
      {"a2-highgpu-1g", 12, 87040, "nvidia-tesla-a100", 1},
  };
  return types;
}

std::optional<MachineTypeInfo> find_machine_type(const std::string& name) {
  const auto& types = machine_types();
  const auto found = std::find_if(types.begin(), types.end(),
                                  [&](const MachineTypeInfo& t) { return t.name == name; });
  return found == types.end() ? std::nullopt : std::optional(*found);
}

AcceleratorInfo accelerator_info(const std::string& name) {
  static const std::vector<AcceleratorInfo> known = {
      {"nvidia-tesla-t4", "NVIDIA T4", "NVIDIA_T4_GPUS", 4},
      {"nvidia-tesla-v100", "NVIDIA V100", "NVIDIA_V100_GPUS", 8},
      {"nvidia-tesla-p100", "NVIDIA Tesla P100", "NVIDIA_P100_GPUS", 4},
      {"nvidia-tesla-p4", "NVIDIA Tesla P4", "NVIDIA_P4_GPUS", 4},
      {"nvidia-tesla-k80", "NVIDIA Tesla K80", "NVIDIA_K80_GPUS", 8},
      {"nvidia-tesla-a100", "NVIDIA A100 40GB", "NVIDIA_A100_GPUS", 16},
      {"nvidia-a100-80gb", "NVIDIA A100 80GB", "NVIDIA_A100_80GB_GPUS", 8},
      {"nvidia-l4", "NVIDIA L4", "NVIDIA_L4_GPUS", 8},
      {"nvidia-h100-80gb", "NVIDIA H100 80GB", "NVIDIA_H100_GPUS", 8},
  };
  const auto found = std::find_if(known.begin(), known.end(),
                                  [&](const AcceleratorInfo& a) { return a.name == name; });
  if (found != known.end()) {
    return *found;
  }
  std::string metric = name;
  if (metric.rfind("nvidia-", 0) == 0) {
    metric = metric.substr(7);
  }
  for (char& c : metric) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return {name, name, "NVIDIA_" + metric + "_GPUS", 4};
}

std::string cpu_metric(const std::string& machine_type) {
  std::string family = machine_type.substr(0, machine_type.find('-'));
  if (family == "n1" || family == "e2" || family == "f1" || family == "g1") {
    return "CPUS";
  }
  for (char& c : family) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return family + "_CPUS";
}

}  // namespace deepdock::gcpemu
