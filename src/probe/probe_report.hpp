#pragma once
// What the in-container probe found, as plain data: the device nodes, the two NVIDIA
// libraries (NVML for the driver and GPU details, the CUDA driver API for a real kernel and
// the bandwidth), the framework's own check, and the problems it diagnosed. The probe fills
// it in stages; report_json and report_text render it.

#include <cstdint>
#include <string>
#include <vector>

namespace deepdock::probe {

// One vendor library, loaded with dlopen by soname (or by the path an override names).
struct LibraryStatus {
  std::string soname;  // "libnvidia-ml.so.1", or the override
  bool loaded = false;
  std::string path;                          // the file the loader picked, when loaded
  std::string error;                         // dlerror()'s words when it did not load
  std::vector<std::string> missing_symbols;  // required symbols the library lacks
  // Usable: loaded, and every required symbol found.
  [[nodiscard]] bool usable() const { return loaded && missing_symbols.empty(); }
};

// A failed call into a vendor library: which call, its numeric code, and the code's name.
struct CallError {
  std::string call;  // "nvmlInit_v2", "cuModuleLoadData"
  int code = 0;      // nvmlReturn_t or CUresult
  std::string name;  // "NVML_ERROR_DRIVER_NOT_LOADED", "CUDA_ERROR_NO_DEVICE"
  std::string text;  // the library's own description, when it gave one
  [[nodiscard]] bool failed() const { return !call.empty(); }
};

// Feature state as NVML reports it; kUnsupported covers NVML_ERROR_NOT_SUPPORTED (GeForce
// boards have no ECC, only A100/H100-class boards have MIG).
enum class FeatureState { kUnknown, kOff, kOn, kUnsupported };

struct GpuDetails {
  unsigned index = 0;
  std::string name;        // "NVIDIA H100 80GB HBM3"
  std::string uuid;        // "GPU-…"
  std::string pci_bus_id;  // "00000000:3B:00.0"
  int compute_major = -1;  // 9 for sm_90; -1 when NVML could not say
  int compute_minor = -1;
  uint64_t memory_total_bytes = 0;
  int pcie_generation = -1;  // the link as it runs now
  int pcie_width = -1;
  int pcie_max_generation = -1;  // what the link could do
  int pcie_max_width = -1;
  FeatureState ecc = FeatureState::kUnknown;  // current mode
  FeatureState mig = FeatureState::kUnknown;  // current mode
  std::vector<CallError> errors;              // queries that failed for this GPU
};

struct NvmlReport {
  LibraryStatus library;
  CallError init;               // nvmlInit_v2, when it failed
  std::string driver_version;   // "550.54.15"
  int cuda_driver_version = 0;  // the CUDA version the driver supports: 12040 = 12.4
  std::vector<GpuDetails> gpus;
};

// The embedded PTX kernel (y = a*x + y over n floats) run on the first device.
struct KernelCheck {
  bool ran = false;      // launched and synchronised
  bool correct = false;  // every element matched the host's result
  unsigned elements = 0;
  unsigned mismatches = 0;
  double seconds = 0;   // module load (JIT), launch and copy back
  std::string jit_log;  // the JIT's error log when the module did not load
};

struct BandwidthCheck {
  bool measured = false;
  uint64_t bytes = 0;  // size of one copy
  int repetitions = 0;
  double device_to_device_gbps = 0;  // bytes copied per second / 1e9
  double host_to_device_gbps = 0;    // from pinned host memory
};

struct CudaReport {
  LibraryStatus library;
  CallError error;         // the first call that failed (cuInit, cuCtxCreate, …)
  int driver_version = 0;  // cuDriverGetVersion: 12040 = 12.4
  int device_count = 0;
  std::string device_name;  // the device the checks ran on (ordinal 0)
  KernelCheck kernel;
  BandwidthCheck bandwidth;
};

// /dev entries the NVIDIA driver creates and the container runtime passes in.
struct DeviceNodes {
  std::vector<std::string> gpus;  // "nvidia0", "nvidia1", …
  bool control = false;           // nvidiactl
  bool uvm = false;               // nvidia-uvm (CUDA needs it)
  bool uvm_tools = false;         // nvidia-uvm-tools
  bool caps = false;              // nvidia-caps/ (MIG)
};

// The framework's own check (gen/framework_check's program), run by the probe.
struct FrameworkCheck {
  bool requested = false;
  bool ran = false;         // the program printed its result line
  std::string result_json;  // that line's JSON object, as printed
  std::string summary;      // the program's one-line account, for people
  int exit_code = 0;
  std::string error_tail;  // the last lines of its error output when it printed nothing
  double seconds = 0;
};

enum class Severity { kInfo, kWarning, kError };

// A diagnosed problem and the action that fixes it.
struct Problem {
  Severity severity = Severity::kError;
  std::string what;
  std::string fix;
};

// The verdict: kGpuReady when the kernel ran and was right; kNoGpu when the container shows
// no sign of a GPU (no device nodes, no driver libraries); kGpuBroken when some of the chain
// is there and it fails.
enum class Verdict { kGpuReady, kNoGpu, kGpuBroken };

struct ProbeReport {
  DeviceNodes nodes;
  NvmlReport nvml;
  CudaReport cuda;
  FrameworkCheck framework;
  Verdict verdict = Verdict::kNoGpu;
  std::vector<Problem> problems;
  double seconds = 0;  // the whole probe
};

}  // namespace deepdock::probe
