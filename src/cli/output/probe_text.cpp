#include "cli/output/probe_text.hpp"

#include <fmt/format.h>

namespace deepdock::cli {
namespace {

std::string gpu_line(const app::ProbedGpu& gpu) {
  std::string text = gpu.name;
  if (!gpu.compute_capability.empty()) {
    text += fmt::format(", compute {}", gpu.compute_capability);
  }
  if (gpu.memory_total_bytes > 0) {
    text += fmt::format(", {:.1f} GiB",
                        static_cast<double>(gpu.memory_total_bytes) / (1024.0 * 1024.0 * 1024.0));
  }
  if (gpu.pcie_generation > 0) {
    text += fmt::format(", PCIe gen{} x{}", gpu.pcie_generation, gpu.pcie_width);
  }
  text += fmt::format(", ECC {}, MIG {}", gpu.ecc, gpu.mig);
  return text;
}

}  // namespace

std::string probe_lines(const app::NativeCheck& native) {
  if (!native.ran) {
    return {};
  }
  if (native.verdict == "no-gpu") {
    return fmt::format("  Probe        no NVIDIA GPU in the container ({:.2f} s)\n",
                       native.seconds);
  }
  std::string out;
  if (!native.driver_version.empty()) {
    out += fmt::format("  Driver       {} (CUDA {})\n", native.driver_version,
                       native.cuda_driver_version.empty() ? "?" : native.cuda_driver_version);
  }
  for (size_t i = 0; i < native.gpus.size(); ++i) {
    out += fmt::format("  GPU {:<8} {}\n", i, gpu_line(native.gpus[i]));
  }
  if (native.kernel_correct) {
    out += fmt::format("  Probe        a kernel ran right on the GPU ({:.2f} s, JIT included)",
                       native.kernel_seconds);
    if (native.device_to_device_gbps > 0) {
      out += fmt::format("; copies at {:.0f} GB/s on the device, {:.1f} GB/s from the host",
                         native.device_to_device_gbps, native.host_to_device_gbps);
    }
    out += "\n";
  } else {
    out += fmt::format("  Probe        {}\n", native.verdict);
  }
  return out;
}

}  // namespace deepdock::cli
