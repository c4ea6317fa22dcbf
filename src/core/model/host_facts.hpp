#pragma once
// What the resolver knows about the machine that will run the environment: its GPUs, the
// installed NVIDIA driver (or none), and its OS. Probed locally, read over SSH, or derived
// from a cloud accelerator type.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace deepdock::core {

struct GpuFact {
  std::string name;                // "Tesla T4", as NVML or pci.ids name it
  std::string compute_capability;  // "7.5"; empty when unknown (the resolver looks the name up)
  uint64_t memory_mib = 0;
};

struct HostFacts {
  std::vector<GpuFact> gpus;                  // empty = no NVIDIA GPU
  std::optional<std::string> driver_version;  // "535.183.01"; nullopt = no driver installed
  bool driver_managed = false;                // deepdock installs the driver (ssh/gcp bootstrap)
  std::string os_id;                          // "ubuntu", "debian"
  std::string os_version;                     // "22.04", "12"
  std::string origin;  // "probed locally", "--gpu flag", "gcp accelerator nvidia-tesla-t4"
};

}  // namespace deepdock::core
