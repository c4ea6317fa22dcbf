#pragma once
// What the checks found in the container, and whether they let `up` call the environment
// ready. The native probe (src/probe) checks the chain below the framework: device nodes,
// the driver through NVML, a real kernel through libcuda. The framework check then imports
// the framework, runs an op, and compares it with the exact value and the CPU's. In a GPU
// environment both must pass on the GPU: a CPU fallback is a failure, never a warning.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/resolution.hpp"
#include "util/error.hpp"

namespace deepdock::app {

// One GPU as the probe saw it through NVML.
struct ProbedGpu {
  std::string name;
  std::string uuid;
  std::string compute_capability;  // "9.0"; "" when NVML could not say
  uint64_t memory_total_bytes = 0;
  int pcie_generation = -1;
  int pcie_width = -1;
  std::string ecc;  // "on", "off", "unsupported", "unknown"
  std::string mig;
};

// What the native probe reported.
struct NativeCheck {
  bool ran = false;                 // it ran and printed a report
  std::string verdict;              // "gpu-ready", "no-gpu", "gpu-broken"
  std::string driver_version;       // "550.54.15"
  std::string cuda_driver_version;  // the CUDA the driver supports: "12.4"
  std::vector<ProbedGpu> gpus;
  bool kernel_correct = false;  // the probe's kernel ran on the GPU and was right
  double kernel_seconds = 0;
  double device_to_device_gbps = 0;
  double host_to_device_gbps = 0;
  std::vector<std::string> problems;  // "error: what (fix: ...)", as the probe diagnosed
  double seconds = 0;
};

struct Verification {
  bool passed = false;
  std::string framework;  // "pytorch"
  std::string version;    // as the framework reports it
  int gpu_count = 0;
  std::vector<std::string> gpus;
  std::string device;  // where the op ran: "cuda:0", "/job:localhost/.../device:GPU:0", "cpu"
  double seconds = 0;  // the check's own time in the container
  double import_seconds = 0;    // importing the framework
  double first_op_seconds = 0;  // the first op on its device (kernel loading included)
  std::string problem;          // why it did not pass; empty when it did
  std::string checked_at;       // UTC time of the check, ISO 8601
  bool from_record = false;     // not re-run: the container is unchanged since a passed check
  NativeCheck native;
};

// Reads the check's output (stdout, exit code, stderr for the message) and judges it.
Verification judge_framework_check(const core::Resolution& resolution, int64_t exit_code,
                                   std::string_view stdout_text, std::string_view stderr_text);

// Every field, as `up --json`, `verify --json` and the record show it.
nlohmann::json verification_json(const Verification& verification);

// The record kept between runs (JSON), so an unchanged container is not re-checked.
std::string verification_to_json(const Verification& verification, std::string_view started_at);
// The record's verification when it was made for a container started at `started_at`.
Result<Verification> verification_from_json(std::string_view text, std::string_view started_at);

}  // namespace deepdock::app
