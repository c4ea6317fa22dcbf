#pragma once
// What `deepdock doctor` reads about a host before judging it: the chain from the GPU on PCI
// through the kernel module, its device nodes and user-space libraries, Secure Boot, the
// container toolkit's files, to the disk that holds the images. Plain values: an adapter
// fills them (below a root directory), the doctor judges them without IO.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/host_facts.hpp"

namespace deepdock::core {

// The kernel modules of the chain that /proc/modules lists.
struct LoadedModules {
  bool nouveau = false;
  bool nvidia = false;
  bool nvidia_uvm = false;
};

// /dev entries the container toolkit hands to containers.
struct DeviceNodes {
  std::vector<std::string> gpus;  // "nvidia0", "nvidia1", ... present
  bool nvidiactl = false;
  bool nvidia_uvm = false;
};

// The container toolkit's configuration and binaries as files on the host.
struct ToolkitFiles {
  std::string daemon_json;             // path read; empty when there is none
  bool daemon_json_nvidia = false;     // daemon.json declares the nvidia runtime
  std::string daemon_json_error;       // daemon.json exists but is not valid JSON
  std::vector<std::string> cdi_specs;  // CDI spec files naming the nvidia.com/gpu kind
  std::vector<std::string> binaries;   // nvidia-ctk, nvidia-container-runtime-hook, ... found
};

struct DiskSpace {
  std::string path;                    // the images' directory (or its nearest existing parent)
  std::optional<uint64_t> free_bytes;  // nullopt when it could not be measured
};

struct HostDiagnosisFacts {
  std::string root;  // "/" on a real host, a fixture tree in tests
  // NVIDIA GPUs (found on PCI even without a driver), the kernel module's version and the OS.
  HostFacts gpu;
  LoadedModules modules;
  // Versions in the file names of the user-space driver libraries (libnvidia-ml.so.<version>).
  std::vector<std::string> library_versions;
  std::string nvidia_smi_failure;  // what nvidia-smi printed when it ran and failed
  DeviceNodes devices;
  std::optional<bool> secure_boot;  // nullopt: the EFI variable is not readable
  ToolkitFiles toolkit;
  DiskSpace images_disk;
};

}  // namespace deepdock::core
