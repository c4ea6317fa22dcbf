#pragma once
// LocalHostInspector: the facts `deepdock doctor` judges, read from this machine below a root
// directory ("/" on a real host, a fixture tree in tests):
//  - GPUs, the kernel module's version and the OS through LocalGpuProbe (PCI, procfs,
//    nvidia-smi), and what nvidia-smi printed when it failed;
//  - loaded modules: <root>/proc/modules (nouveau, nvidia, nvidia_uvm);
//  - user-space library versions: libnvidia-ml.so.<version> in <root>/usr/lib/x86_64-linux-gnu,
//    <root>/usr/lib64 and <root>/usr/lib;
//  - device nodes: <root>/dev/nvidia[0-9]*, nvidiactl, nvidia-uvm (existence only);
//  - Secure Boot: the SecureBoot EFI variable under <root>/sys/firmware/efi/efivars;
//  - the container toolkit: <root>/etc/docker/daemon.json, CDI specs in <root>/etc/cdi and
//    <root>/var/run/cdi, its binaries in the search directories below the root;
//  - free space on the disk of the engine's images (statvfs).

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/host/local_gpu_probe.hpp"
#include "core/ports/host_inspector.hpp"

namespace deepdock::adapters::host {

class LocalHostInspector final : public core::HostInspector {
 public:
  // `search_dirs` are the PATH directories, taken below `root`; `run` runs nvidia-smi
  // (defaults to run_process).
  LocalHostInspector(std::filesystem::path root, std::vector<std::string> search_dirs,
                     CommandRunner run = {});
  core::HostDiagnosisFacts inspect(const std::string& images_dir) override;

 private:
  std::filesystem::path root_;
  std::vector<std::string> search_dirs_;
  CommandRunner run_;
};

}  // namespace deepdock::adapters::host
