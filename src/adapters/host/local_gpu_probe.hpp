#pragma once
// LocalGpuProbe: GPU and driver facts of this machine, without linking NVIDIA libraries.
//  - NVIDIA GPUs on PCI: <root>/sys/bus/pci/devices/*/{vendor,device,class} (vendor 0x10de,
//    display class 0x03xx), found even when no driver is installed;
//  - the kernel module's version: <root>/proc/driver/nvidia/version;
//  - names, compute capability and memory: `nvidia-smi --query-gpu=...` when a driver runs;
//  - the OS: <root>/etc/os-release.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "adapters/host/process.hpp"
#include "core/ports/gpu_probe.hpp"

namespace deepdock::adapters::host {

using CommandRunner = std::function<Result<ProcessResult>(const std::vector<std::string>& argv)>;

class LocalGpuProbe final : public core::GpuProbe {
 public:
  // `root` is "/" on a real host and a fixture tree in tests; `run` defaults to run_process.
  explicit LocalGpuProbe(std::filesystem::path root = "/", CommandRunner run = {});
  Result<core::HostFacts> probe() override;

  // Parses "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.183.01  ..." (empty if absent).
  static std::string parse_module_version(std::string_view proc_version_text);

 private:
  std::filesystem::path root_;
  CommandRunner run_;
};

}  // namespace deepdock::adapters::host
