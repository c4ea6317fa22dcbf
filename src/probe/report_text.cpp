#include "probe/report_text.hpp"

#include <array>
#include <cstdio>

#include "probe/report_json.hpp"

namespace deepdock::probe {
namespace {

// `value` with `decimals` digits after the point (the probe has no fmt).
std::string fixed(double value, int decimals) {
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  return text.data();
}

std::string str(long long value) {
  return std::to_string(value);
}

void line(std::string& out, const std::string& label, const std::string& text) {
  out += "  " + label + std::string(label.size() < 12 ? 12 - label.size() : 0, ' ') + " " + text +
         "\n";
}

std::string verdict_text(Verdict verdict) {
  switch (verdict) {
    case Verdict::kGpuReady:
      return "GPU ready";
    case Verdict::kNoGpu:
      return "no GPU";
    case Verdict::kGpuBroken:
      return "GPU not usable";
  }
  return "GPU not usable";
}

std::string nodes_text(const DeviceNodes& nodes) {
  if (nodes.gpus.empty() && !nodes.control) {
    return "none";
  }
  std::string text;
  for (const std::string& gpu : nodes.gpus) {
    text += gpu + " ";
  }
  text += nodes.control ? "nvidiactl" : "(no nvidiactl)";
  text += nodes.uvm ? " nvidia-uvm" : " (no nvidia-uvm)";
  return text;
}

std::string library_text(const LibraryStatus& library) {
  if (!library.loaded) {
    return library.soname + " not loaded: " + library.error;
  }
  std::string text = library.path.empty() ? library.soname : library.path;
  if (!library.missing_symbols.empty()) {
    text += " (" + std::to_string(library.missing_symbols.size()) + " symbols missing)";
  }
  return text;
}

std::string gpu_text(const GpuDetails& gpu) {
  std::string text = gpu.name;
  if (gpu.compute_major >= 0) {
    text += ", sm_" + str(gpu.compute_major) + str(gpu.compute_minor);
  }
  if (gpu.memory_total_bytes > 0) {
    text += ", " +
            fixed(static_cast<double>(gpu.memory_total_bytes) / (1024.0 * 1024.0 * 1024.0), 1) +
            " GiB";
  }
  if (gpu.pcie_generation > 0) {
    text += ", PCIe gen" + str(gpu.pcie_generation) + " x" + str(gpu.pcie_width);
    if (gpu.pcie_max_generation > 0) {
      text += " (max gen" + str(gpu.pcie_max_generation) + " x" + str(gpu.pcie_max_width) + ")";
    }
  }
  text += ", ECC " + std::string(to_string(gpu.ecc));
  text += ", MIG " + std::string(to_string(gpu.mig));
  return text;
}

void cuda_lines(std::string& out, const CudaReport& cuda) {
  if (!cuda.library.loaded) {
    line(out, "libcuda", library_text(cuda.library));
    return;
  }
  line(out, "libcuda",
       library_text(cuda.library) + ", CUDA " + cuda_version_text(cuda.driver_version) + ", " +
           std::to_string(cuda.device_count) + " device(s)");
  if (cuda.error.failed()) {
    line(out, "CUDA", cuda.error.call + " failed: " + cuda.error.name);
  }
  if (cuda.kernel.ran) {
    line(out, "kernel",
         "axpy over " + str(cuda.kernel.elements) + " floats on " + cuda.device_name + ": " +
             (cuda.kernel.correct ? std::string("correct")
                                  : str(cuda.kernel.mismatches) + " wrong") +
             " (" + fixed(cuda.kernel.seconds, 3) + " s, JIT included)");
  }
  if (cuda.bandwidth.measured) {
    line(out, "bandwidth",
         "device to device " + fixed(cuda.bandwidth.device_to_device_gbps, 1) +
             " GB/s, host to device " + fixed(cuda.bandwidth.host_to_device_gbps, 1) + " GB/s (" +
             str(static_cast<long long>(cuda.bandwidth.bytes >> 20U)) + " MiB x " +
             str(cuda.bandwidth.repetitions) + ")");
  }
}

}  // namespace

std::string report_text(const ProbeReport& report) {
  std::string out =
      "deepdock-probe: " + verdict_text(report.verdict) + " (" + fixed(report.seconds, 2) + " s)\n";
  line(out, "devices", nodes_text(report.nodes));
  if (report.verdict != Verdict::kNoGpu || report.nvml.library.loaded) {
    const NvmlReport& nvml = report.nvml;
    if (nvml.library.loaded && !nvml.init.failed()) {
      line(out, "driver",
           nvml.driver_version + " (CUDA " + cuda_version_text(nvml.cuda_driver_version) +
               "), NVML " + library_text(nvml.library));
    } else {
      line(out, "NVML",
           nvml.library.loaded ? nvml.init.call + " failed: " + nvml.init.name
                               : library_text(nvml.library));
    }
    for (const GpuDetails& gpu : nvml.gpus) {
      line(out, "GPU " + str(gpu.index), gpu_text(gpu));
      line(out, "", gpu.uuid);
    }
    cuda_lines(out, report.cuda);
  }
  if (report.framework.requested) {
    line(out, "framework",
         report.framework.ran ? report.framework.summary
                              : "the check printed no result (exit code " +
                                    std::to_string(report.framework.exit_code) + ")");
    if (!report.framework.ran && !report.framework.error_tail.empty()) {
      out += report.framework.error_tail + "\n";
    }
  }
  for (const Problem& problem : report.problems) {
    out += std::string(to_string(problem.severity)) + ": " + problem.what + "\n";
    if (!problem.fix.empty()) {
      out += "  fix: " + problem.fix + "\n";
    }
  }
  return out;
}

}  // namespace deepdock::probe
