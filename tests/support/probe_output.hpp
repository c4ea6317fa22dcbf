#pragma once
// Probe reports as the probe itself writes them (probe::report_json), for fake engines that
// stand in for a container: the host's judge is tested against the probe's real output
// format, so the two cannot drift apart.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "probe/diagnosis.hpp"
#include "probe/probe_report.hpp"
#include "probe/report_json.hpp"

namespace deepdock::testing {

// A container with `gpu_count` working H100s (none: a CPU container), the framework check's
// result line `framework_result` ("" for no framework check), diagnosed as the probe would.
inline probe::ProbeReport probe_report(int gpu_count, const std::string& framework_result,
                                       bool expect_gpu) {
  probe::ProbeReport report;
  report.nvml.library = {.soname = "libnvidia-ml.so.1", .error = "not found"};
  report.cuda.library = {.soname = "libcuda.so.1", .error = "not found"};
  for (int i = 0; i < gpu_count; ++i) {
    report.nodes.gpus.push_back("nvidia" + std::to_string(i));
    probe::GpuDetails gpu;
    gpu.index = static_cast<unsigned>(i);
    gpu.name = "NVIDIA H100 80GB HBM3";
    gpu.uuid = "GPU-0000000" + std::to_string(i);
    gpu.compute_major = 9;
    gpu.compute_minor = 0;
    gpu.memory_total_bytes = 85520809984ULL;
    gpu.pcie_generation = 5;
    gpu.pcie_width = 16;
    gpu.ecc = probe::FeatureState::kOn;
    gpu.mig = probe::FeatureState::kOff;
    report.nvml.gpus.push_back(gpu);
  }
  if (gpu_count > 0) {
    report.nodes.control = report.nodes.uvm = true;
    report.nvml.library = {.soname = "libnvidia-ml.so.1", .loaded = true};
    report.nvml.driver_version = "550.54.15";
    report.nvml.cuda_driver_version = 12040;
    report.cuda.library = {.soname = "libcuda.so.1", .loaded = true};
    report.cuda.driver_version = 12040;
    report.cuda.device_count = gpu_count;
    report.cuda.device_name = "NVIDIA H100 80GB HBM3";
    report.cuda.kernel = {.ran = true, .correct = true, .elements = 1U << 20U, .seconds = 0.12};
    report.cuda.bandwidth = {.measured = true,
                             .bytes = 256ULL << 20U,
                             .repetitions = 20,
                             .device_to_device_gbps = 1450,
                             .host_to_device_gbps = 25};
  }
  if (!framework_result.empty()) {
    report.framework.requested = report.framework.ran = true;
    report.framework.result_json = framework_result;
  }
  probe::diagnose(report, expect_gpu);
  return report;
}

// The framework check's result line: PyTorch 2.3.1 seeing `gpu_count` GPUs, its op run on
// `device`, exact, and (on a GPU) agreeing with the CPU or not.
inline std::string pytorch_result(const std::string& device, int gpu_count,
                                  std::optional<bool> cpu_agrees = std::nullopt) {
  const bool on_gpu = device != "cpu";
  return nlohmann::json{
      {"framework", "pytorch"},
      {"version", "2.3.1"},
      {"gpu_count", gpu_count},
      {"gpus", gpu_count > 0 ? std::vector<std::string>{"NVIDIA H100 80GB HBM3"}
                             : std::vector<std::string>{}},
      {"device", device},
      {"value_ok", true},
      {"cpu_agrees", on_gpu ? nlohmann::json(cpu_agrees.value_or(true)) : nlohmann::json()},
      {"import_seconds", 1.2},
      {"first_op_seconds", 0.3},
      {"error", ""},
      {"seconds", 1.6}}
      .dump();
}

inline std::string probe_output(int gpu_count, const std::string& framework_result,
                                bool expect_gpu = false) {
  return probe::report_json(probe_report(gpu_count, framework_result, expect_gpu)) + "\n";
}

}  // namespace deepdock::testing
