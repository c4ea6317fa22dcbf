#pragma once
// Google's fixed catalog as far as deepdock needs it: machine types (CPUs, memory, built-in
// GPUs), accelerator types and the quota metric each consumes.

#include <optional>
#include <string>
#include <vector>

namespace deepdock::gcpemu {

struct MachineTypeInfo {
  std::string name;
  int guest_cpus = 0;
  int memory_mb = 0;
  std::string accelerator;  // a2/g2: the GPU that comes with the machine
  int accelerator_count = 0;
};

struct AcceleratorInfo {
  std::string name;         // nvidia-tesla-t4
  std::string description;  // NVIDIA T4
  std::string metric;       // NVIDIA_T4_GPUS (Spot VMs: PREEMPTIBLE_ + this)
  int max_per_instance = 4;
};

const std::vector<MachineTypeInfo>& machine_types();
std::optional<MachineTypeInfo> find_machine_type(const std::string& name);

// Known accelerators; an unknown name still gets a metric (NVIDIA_<NAME>_GPUS).
AcceleratorInfo accelerator_info(const std::string& name);

// The regional CPU metric of a machine type: CPUS for N1/E2, N2_CPUS, G2_CPUS, ... otherwise.
std::string cpu_metric(const std::string& machine_type);

}  // namespace deepdock::gcpemu
