#include "probe/cuda_checks.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "probe/axpy_kernel.hpp"
#include "probe/error_names.hpp"
#include "probe/stopwatch.hpp"

namespace deepdock::probe {
namespace {

constexpr unsigned kThreadsPerBlock = 256;
constexpr unsigned kMaxKernelElements = 1U << 28;  // 1 GiB a vector; keeps the index in u32
constexpr float kAxpyFactor = 3.0F;
constexpr uint64_t kMaxHostCopyBytes = 64ULL << 20;
constexpr uint64_t kMinBandwidthBytes = 1ULL << 20;
constexpr size_t kJitLogBytes = 8192;

// Calls into libcuda for one run of the checks: the first failure is kept in `error`, and
// callers stop at a false.
class CudaCalls {
 public:
  CudaCalls(const CudaApi& api, CallError& error) : api_(api), error_(error) {}

  [[nodiscard]] const CudaApi& api() const { return api_; }

  bool ok(const char* call, cuda::Result result) {
    if (result == cuda::kSuccess) {
      return true;
    }
    if (!error_.failed()) {
      error_ = describe(call, result);
    }
    return false;
  }

  // A failure the probe detected itself, such as a device count of zero.
  void fail(const char* call, cuda::Result result) { ok(call, result); }

 private:
  [[nodiscard]] CallError describe(const char* call, cuda::Result result) const {
    CallError error;
    error.call = call;
    error.code = result;
    const char* name = nullptr;
    if (api_.cuGetErrorName != nullptr && api_.cuGetErrorName(result, &name) == cuda::kSuccess &&
        name != nullptr) {
      error.name = name;
    } else {
      error.name = cuda_result_name(result);
    }
    const char* text = nullptr;
    if (api_.cuGetErrorString != nullptr &&
        api_.cuGetErrorString(result, &text) == cuda::kSuccess && text != nullptr) {
      error.text = text;
    }
    return error;
  }

  const CudaApi& api_;
  CallError& error_;
};

// One handle libcuda gave out, given back (by the API's `Release`) on every path.
template <typename Handle, cuda::Result (*CudaApi::*Release)(Handle)>
class Owned {
 public:
  explicit Owned(const CudaApi& api) : api_(api) {}
  ~Owned() {
    if (handle_ != Handle{}) {
      (api_.*Release)(handle_);
    }
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&&) = delete;
  Owned& operator=(Owned&&) = delete;

  Handle* out() { return &handle_; }
  [[nodiscard]] Handle get() const { return handle_; }

 private:
  const CudaApi& api_;
  Handle handle_{};
};

using OwnedContext = Owned<cuda::Context, &CudaApi::cuCtxDestroy_v2>;
using OwnedModule = Owned<cuda::Module, &CudaApi::cuModuleUnload>;
using DeviceMemory = Owned<cuda::DevicePtr, &CudaApi::cuMemFree_v2>;
using HostMemory = Owned<void*, &CudaApi::cuMemFreeHost>;
using OwnedEvent = Owned<cuda::Event, &CudaApi::cuEventDestroy_v2>;

template <size_t N>
std::string text_of(const std::array<char, N>& buffer) {
  return {buffer.data(), strnlen(buffer.data(), N)};
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// cuModuleLoadDataEx takes a JIT option's integer value in the pointer-sized slot itself.
void* option_value(size_t value) {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(value));
}

// Loads the PTX (the driver compiles it for this GPU) and runs it over n elements; leaves
// the device's result in `result`.
bool run_axpy(CudaCalls& calls, const std::vector<float>& x, const std::vector<float>& y,
              std::vector<float>& result, KernelCheck& kernel) {
  const CudaApi& api = calls.api();
  OwnedModule module(api);
  std::array<char, kJitLogBytes> log{};
  std::array<cuda::JitOption, 2> options{cuda::kJitErrorLogBuffer,
                                         cuda::kJitErrorLogBufferSizeBytes};
  std::array<void*, 2> values{log.data(), option_value(log.size() - 1)};
  if (!calls.ok("cuModuleLoadDataEx",
                api.cuModuleLoadDataEx(module.out(), kAxpyPtx.data(), options.size(),
                                       options.data(), values.data()))) {
    kernel.jit_log = trimmed(text_of(log));
    return false;
  }
  cuda::Function function = nullptr;
  if (!calls.ok("cuModuleGetFunction",
                api.cuModuleGetFunction(&function, module.get(), kAxpyEntry.data()))) {
    return false;
  }
  const auto count = static_cast<unsigned>(x.size());
  const size_t bytes = x.size() * sizeof(float);
  DeviceMemory device_x(api);
  DeviceMemory device_y(api);
  if (!calls.ok("cuMemAlloc_v2", api.cuMemAlloc_v2(device_x.out(), bytes)) ||
      !calls.ok("cuMemAlloc_v2", api.cuMemAlloc_v2(device_y.out(), bytes)) ||
      !calls.ok("cuMemcpyHtoD_v2", api.cuMemcpyHtoD_v2(device_x.get(), x.data(), bytes)) ||
      !calls.ok("cuMemcpyHtoD_v2", api.cuMemcpyHtoD_v2(device_y.get(), y.data(), bytes))) {
    return false;
  }
  cuda::DevicePtr y_pointer = device_y.get();
  cuda::DevicePtr x_pointer = device_x.get();
  float factor = kAxpyFactor;
  unsigned elements = count;
  std::array<void*, 4> params{&y_pointer, &x_pointer, &factor, &elements};
  const unsigned blocks = (count + kThreadsPerBlock - 1) / kThreadsPerBlock;
  if (!calls.ok("cuLaunchKernel", api.cuLaunchKernel(function, blocks, 1, 1, kThreadsPerBlock, 1, 1,
                                                     0, nullptr, params.data(), nullptr)) ||
      !calls.ok("cuCtxSynchronize", api.cuCtxSynchronize())) {
    return false;
  }
  kernel.ran = true;
  result.assign(x.size(), 0.0F);
  return calls.ok("cuMemcpyDtoH_v2", api.cuMemcpyDtoH_v2(result.data(), device_y.get(), bytes));
}

// The inputs are small whole numbers, so every product and sum is exact in float and the
// device must match the host bit for bit.
bool check_kernel(CudaCalls& calls, unsigned requested_elements, KernelCheck& kernel) {
  const unsigned count = std::clamp(requested_elements, 1U, kMaxKernelElements);
  kernel.elements = count;
  std::vector<float> x(count);
  std::vector<float> y(count);
  for (unsigned i = 0; i < count; ++i) {
    x[i] = static_cast<float>(i % 13);
    y[i] = static_cast<float>(2 * (i % 5));
  }
  std::vector<float> result;
  const Stopwatch stopwatch;
  const bool ok = run_axpy(calls, x, y, result, kernel);
  kernel.seconds = stopwatch.seconds();
  if (!ok) {
    return false;
  }
  unsigned mismatches = 0;
  for (unsigned i = 0; i < count; ++i) {
    if (result[i] != kAxpyFactor * x[i] + y[i]) {
      ++mismatches;
    }
  }
  kernel.mismatches = mismatches;
  kernel.correct = mismatches == 0;
  return true;
}

// One untimed copy, then `repetitions` copies between two events; the seconds between them.
template <typename Copy>
bool time_copies(CudaCalls& calls, const char* call, Copy copy, int repetitions,
                 const OwnedEvent& start, const OwnedEvent& stop, double& seconds) {
  const CudaApi& api = calls.api();
  if (!calls.ok(call, copy()) ||
      !calls.ok("cuEventRecord", api.cuEventRecord(start.get(), nullptr))) {
    return false;
  }
  for (int i = 0; i < repetitions; ++i) {
    if (!calls.ok(call, copy())) {
      return false;
    }
  }
  float milliseconds = 0;
  if (!calls.ok("cuEventRecord", api.cuEventRecord(stop.get(), nullptr)) ||
      !calls.ok("cuEventSynchronize", api.cuEventSynchronize(stop.get())) ||
      !calls.ok("cuEventElapsedTime",
                api.cuEventElapsedTime(&milliseconds, start.get(), stop.get()))) {
    return false;
  }
  seconds = static_cast<double>(milliseconds) / 1e3;
  return true;
}

double gigabytes_per_second(uint64_t bytes, int repetitions, double seconds) {
  if (seconds <= 0) {
    return 0;
  }
  return static_cast<double>(bytes) * repetitions / seconds / 1e9;
}

void measure_copies(CudaCalls& calls, const DeviceMemory& source, const DeviceMemory& destination,
                    uint64_t bytes, int repetitions, BandwidthCheck& bandwidth) {
  const CudaApi& api = calls.api();
  OwnedEvent start(api);
  OwnedEvent stop(api);
  if (!calls.ok("cuEventCreate", api.cuEventCreate(start.out(), 0)) ||
      !calls.ok("cuEventCreate", api.cuEventCreate(stop.out(), 0))) {
    return;
  }
  double seconds = 0;
  const auto device_copy = [&] {
    return api.cuMemcpyDtoD_v2(destination.get(), source.get(), bytes);
  };
  if (!time_copies(calls, "cuMemcpyDtoD_v2", device_copy, repetitions, start, stop, seconds)) {
    return;
  }
  const double device_to_device = gigabytes_per_second(bytes, repetitions, seconds);

  const uint64_t host_bytes = std::min(bytes, kMaxHostCopyBytes);
  HostMemory host(api);
  if (!calls.ok("cuMemHostAlloc", api.cuMemHostAlloc(host.out(), host_bytes, 0))) {
    return;
  }
  std::memset(host.get(), 1, host_bytes);
  const auto host_copy = [&] {
    return api.cuMemcpyHtoD_v2(destination.get(), host.get(), host_bytes);
  };
  if (!time_copies(calls, "cuMemcpyHtoD_v2", host_copy, repetitions, start, stop, seconds)) {
    return;
  }
  bandwidth.measured = true;
  bandwidth.bytes = bytes;
  bandwidth.repetitions = repetitions;
  bandwidth.device_to_device_gbps = device_to_device;
  bandwidth.host_to_device_gbps = gigabytes_per_second(host_bytes, repetitions, seconds);
}

// Two buffers of the requested size, halved while the GPU is out of memory (other work may
// hold most of it; the probe measures a smaller copy rather than fail).
void measure_bandwidth(CudaCalls& calls, const CudaOptions& options, BandwidthCheck& bandwidth) {
  const CudaApi& api = calls.api();
  const int repetitions = std::max(options.repetitions, 1);
  for (uint64_t bytes = std::max(options.bandwidth_bytes, uint64_t{1});; bytes /= 2) {
    DeviceMemory source(api);
    DeviceMemory destination(api);
    cuda::Result result = api.cuMemAlloc_v2(source.out(), bytes);
    if (result == cuda::kSuccess) {
      result = api.cuMemAlloc_v2(destination.out(), bytes);
    }
    if (result == cuda::kSuccess) {
      measure_copies(calls, source, destination, bytes, repetitions, bandwidth);
      return;
    }
    if (result != cuda::kErrorOutOfMemory || bytes / 2 < kMinBandwidthBytes) {
      calls.fail("cuMemAlloc_v2", result);
      return;
    }
  }
}

}  // namespace

CudaReport run_cuda_checks(const CudaApi& api, const LibraryStatus& library,
                           const CudaOptions& options) {
  CudaReport report;
  report.library = library;
  if (!library.usable()) {
    return report;
  }
  CudaCalls calls(api, report.error);
  if (!calls.ok("cuInit", api.cuInit(0)) ||
      !calls.ok("cuDriverGetVersion", api.cuDriverGetVersion(&report.driver_version)) ||
      !calls.ok("cuDeviceGetCount", api.cuDeviceGetCount(&report.device_count))) {
    return report;
  }
  if (report.device_count <= 0) {
    calls.fail("cuDeviceGetCount", cuda::kErrorNoDevice);
    return report;
  }
  cuda::Device device = 0;
  std::array<char, 256> name{};
  if (!calls.ok("cuDeviceGet", api.cuDeviceGet(&device, 0)) ||
      !calls.ok("cuDeviceGetName",
                api.cuDeviceGetName(name.data(), static_cast<int>(name.size()), device))) {
    return report;
  }
  report.device_name = text_of(name);
  OwnedContext context(api);
  if (!calls.ok("cuCtxCreate_v2", api.cuCtxCreate_v2(context.out(), 0, device)) ||
      !check_kernel(calls, options.kernel_elements, report.kernel)) {
    return report;
  }
  if (options.measure_bandwidth) {
    measure_bandwidth(calls, options, report.bandwidth);
  }
  return report;
}

}  // namespace deepdock::probe
