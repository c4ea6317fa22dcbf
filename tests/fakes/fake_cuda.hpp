#pragma once
// FakeCuda: a CudaApi emulating one CUDA driver and its devices in host memory. Device
// allocations are host buffers behind made-up device addresses, copies really copy, the
// module loader accepts the probe's PTX (by its entry's name) and cuLaunchKernel really
// computes y = a*x + y from the kernel's parameters over the threads launched. Copies move
// a fake clock at configured speeds, so events time them and the measured bandwidth comes
// out as configured. It keeps the driver's rules (cuInit first, a context for memory and
// modules), records every call by name and every allocation and release, and can be told to
// fail: cuInit's answer, no devices, a module that does not compile (with a JIT log), a
// wrong kernel result, or the Nth call of any function.
//
// C function pointers carry no state, so the functions reach the fake through one static
// pointer: constructing a FakeCuda makes it the current one, destroying it clears it.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probe/cuda_api.hpp"
#include "probe/error_names.hpp"
#include "probe/probe_report.hpp"

namespace deepdock::testing {

namespace cuda = probe::cuda;

struct FakeCudaDevice {
  cuda::Result init_result = cuda::kSuccess;
  int driver_version = 12040;
  int device_count = 1;
  std::string device_name = "NVIDIA H100 80GB HBM3";
  uint64_t memory_bytes = 1ULL << 30;  // allocations beyond it are CUDA_ERROR_OUT_OF_MEMORY
  // A module that does not compile: this answer, and this text in the JIT's error log.
  cuda::Result module_load_result = cuda::kSuccess;
  std::string jit_log;
  bool wrong_result = false;  // the kernel gets one element (the middle one) wrong
  // Fail the `failing_occurrence`-th call of `failing_call` with `failing_result`.
  std::string failing_call;
  int failing_occurrence = 1;
  cuda::Result failing_result = cuda::kErrorUnknown;
  double device_to_device_gbps = 2000;  // what the fake clock charges for copies
  double host_to_device_gbps = 25;
  bool error_functions = true;  // cuGetErrorName and cuGetErrorString (CUDA 6 on)
};

class FakeCuda {
 public:
  FakeCudaDevice device;
  std::vector<std::string> calls;  // every call, by function name
  int allocations = 0;             // cuMemAlloc_v2 that succeeded
  int frees = 0;                   // cuMemFree_v2 that succeeded
  int host_allocations = 0;
  int host_frees = 0;
  int events_created = 0;
  int events_destroyed = 0;
  int modules_loaded = 0;
  int modules_unloaded = 0;
  int contexts_created = 0;
  int contexts_destroyed = 0;
  std::string loaded_image;          // the text given to cuModuleLoadDataEx
  std::vector<uint64_t> copy_sizes;  // bytes of each cuMemcpy*, in order
  uint64_t launched_threads = 0;     // grid x block of the last launch

  explicit FakeCuda(FakeCudaDevice described = {}) : device(std::move(described)) {
    EXPECT_EQ(current_, nullptr) << "one FakeCuda at a time";
    current_ = this;
  }
  ~FakeCuda() { current_ = nullptr; }
  FakeCuda(const FakeCuda&) = delete;
  FakeCuda& operator=(const FakeCuda&) = delete;
  FakeCuda(FakeCuda&&) = delete;
  FakeCuda& operator=(FakeCuda&&) = delete;

  [[nodiscard]] probe::CudaApi api() const {
    probe::CudaApi api;
    api.cuInit = &init;
    api.cuDriverGetVersion = &driver_get_version;
    api.cuDeviceGetCount = &device_get_count;
    api.cuDeviceGet = &device_get;
    api.cuDeviceGetName = &device_get_name;
    api.cuCtxCreate_v2 = &ctx_create;
    api.cuCtxDestroy_v2 = &ctx_destroy;
    api.cuCtxSynchronize = &ctx_synchronize;
    api.cuModuleLoadDataEx = &module_load;
    api.cuModuleGetFunction = &module_get_function;
    api.cuModuleUnload = &module_unload;
    api.cuMemAlloc_v2 = &mem_alloc;
    api.cuMemFree_v2 = &mem_free;
    api.cuMemcpyHtoD_v2 = &memcpy_htod;
    api.cuMemcpyDtoH_v2 = &memcpy_dtoh;
    api.cuMemcpyDtoD_v2 = &memcpy_dtod;
    api.cuMemHostAlloc = &mem_host_alloc;
    api.cuMemFreeHost = &mem_free_host;
    api.cuLaunchKernel = &launch_kernel;
    api.cuEventCreate = &event_create;
    api.cuEventRecord = &event_record;
    api.cuEventSynchronize = &event_synchronize;
    api.cuEventElapsedTime = &event_elapsed_time;
    api.cuEventDestroy_v2 = &event_destroy;
    if (device.error_functions) {
      api.cuGetErrorName = &get_error_name;
      api.cuGetErrorString = &get_error_string;
    }
    return api;
  }

  // What load_cuda reports for a library that loaded with every required symbol.
  static probe::LibraryStatus usable_library() {
    return {.soname = "libcuda.so.1",
            .loaded = true,
            .path = "/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15"};
  }

  // Everything allocated, created or loaded was given back.
  [[nodiscard]] bool released_everything() const {
    return buffers_.empty() && host_buffers_.empty() && events_.empty() && modules_.empty() &&
           contexts_.empty();
  }

  [[nodiscard]] size_t count(std::string_view call) const {
    return static_cast<size_t>(std::count(calls.begin(), calls.end(), call));
  }

 private:
  static FakeCuda& fake() { return *current_; }

  // Records the call; the configured failure when this is its turn, else the driver's rules:
  // cuInit first, and a context for everything that needs one.
  static cuda::Result enter(const char* call, bool needs_context = false) {
    FakeCuda& f = fake();
    f.calls.emplace_back(call);
    if (f.device.failing_call == call &&
        static_cast<int>(f.count(call)) == f.device.failing_occurrence) {
      return f.device.failing_result;
    }
    if (!f.initialized_) {
      return cuda::kErrorNotInitialized;
    }
    if (needs_context && f.contexts_.empty()) {
      return cuda::kErrorInvalidContext;
    }
    return cuda::kSuccess;
  }

  template <typename Handle>
  static Handle new_handle() {
    return reinterpret_cast<Handle>(static_cast<uintptr_t>(0x1000 + fake().next_handle_++));
  }

  // The host bytes behind [address, address + bytes), or null when that is not all inside
  // one allocation.
  unsigned char* resolve(cuda::DevicePtr address, uint64_t bytes) {
    auto it = buffers_.upper_bound(address);
    if (it == buffers_.begin()) {
      return nullptr;
    }
    --it;
    const uint64_t offset = address - it->first;
    if (offset + bytes > it->second.size()) {
      return nullptr;
    }
    return it->second.data() + offset;
  }

  void advance_clock(uint64_t bytes, double gbps) {
    clock_seconds_ += static_cast<double>(bytes) / (gbps * 1e9);
  }

  static cuda::Result init(unsigned flags) {
    FakeCuda& f = fake();
    f.calls.emplace_back("cuInit");
    if (flags != 0) {
      return cuda::kErrorInvalidValue;
    }
    if (f.device.init_result != cuda::kSuccess) {
      return f.device.init_result;
    }
    if (f.device.failing_call == "cuInit") {
      return f.device.failing_result;
    }
    f.initialized_ = true;
    return cuda::kSuccess;
  }
  static cuda::Result driver_get_version(int* version) {
    // The one call that works before cuInit.
    fake().calls.emplace_back("cuDriverGetVersion");
    if (fake().device.failing_call == "cuDriverGetVersion") {
      return fake().device.failing_result;
    }
    *version = fake().device.driver_version;
    return cuda::kSuccess;
  }
  static cuda::Result device_get_count(int* count) {
    const cuda::Result entered = enter("cuDeviceGetCount");
    if (entered == cuda::kSuccess) {
      *count = fake().device.device_count;
    }
    return entered;
  }
  static cuda::Result device_get(cuda::Device* device, int ordinal) {
    const cuda::Result entered = enter("cuDeviceGet");
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (ordinal < 0 || ordinal >= fake().device.device_count) {
      return cuda::kErrorInvalidDevice;
    }
    *device = ordinal;
    return cuda::kSuccess;
  }
  static cuda::Result device_get_name(char* name, int length, cuda::Device device) {
    const cuda::Result entered = enter("cuDeviceGetName");
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (device < 0 || device >= fake().device.device_count) {
      return cuda::kErrorInvalidDevice;
    }
    const std::string& text = fake().device.device_name;
    if (length <= 0) {
      return cuda::kErrorInvalidValue;
    }
    const size_t copied = std::min(text.size(), static_cast<size_t>(length) - 1);
    std::memcpy(name, text.data(), copied);
    name[copied] = '\0';
    return cuda::kSuccess;
  }
  static cuda::Result ctx_create(cuda::Context* context, unsigned /*flags*/, cuda::Device device) {
    const cuda::Result entered = enter("cuCtxCreate_v2");
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (device < 0 || device >= fake().device.device_count) {
      return cuda::kErrorInvalidDevice;
    }
    *context = new_handle<cuda::Context>();
    fake().contexts_.insert(*context);
    ++fake().contexts_created;
    return cuda::kSuccess;
  }
  static cuda::Result ctx_destroy(cuda::Context context) {
    const cuda::Result entered = enter("cuCtxDestroy_v2");
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (fake().contexts_.erase(context) == 0) {
      return cuda::kErrorInvalidContext;
    }
    ++fake().contexts_destroyed;
    return cuda::kSuccess;
  }
  static cuda::Result ctx_synchronize() { return enter("cuCtxSynchronize", true); }

  static cuda::Result module_load(cuda::Module* module, const void* image, unsigned num_options,
                                  cuda::JitOption* options, void** values) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuModuleLoadDataEx", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    f.loaded_image = static_cast<const char*>(image);
    cuda::Result result = f.device.module_load_result;
    std::string log = f.device.jit_log;
    if (result == cuda::kSuccess &&
        f.loaded_image.find(".entry deepdock_axpy(") == std::string::npos) {
      result = cuda::kErrorInvalidPtx;
      log = "ptxas fatal   : no entry deepdock_axpy";
    }
    if (result != cuda::kSuccess) {
      write_jit_log(log, num_options, options, values);
      return result;
    }
    *module = new_handle<cuda::Module>();
    f.modules_.insert(*module);
    ++f.modules_loaded;
    return cuda::kSuccess;
  }
  // As the driver does: into the caller's error log buffer, cut to its size with the NUL.
  static void write_jit_log(const std::string& log, unsigned num_options,
                            const cuda::JitOption* options, void** values) {
    char* buffer = nullptr;
    size_t size = 0;
    for (unsigned i = 0; i < num_options; ++i) {
      if (options[i] == cuda::kJitErrorLogBuffer) {
        buffer = static_cast<char*>(values[i]);
      } else if (options[i] == cuda::kJitErrorLogBufferSizeBytes) {
        size = reinterpret_cast<uintptr_t>(values[i]);
      }
    }
    if (buffer == nullptr || size == 0) {
      return;
    }
    const size_t copied = std::min(log.size(), size - 1);
    std::memcpy(buffer, log.data(), copied);
    buffer[copied] = '\0';
  }
  static cuda::Result module_get_function(cuda::Function* function, cuda::Module module,
                                          const char* name) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuModuleGetFunction", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (f.modules_.count(module) == 0) {
      return cuda::kErrorInvalidHandle;
    }
    if (std::string_view(name) != "deepdock_axpy") {
      return cuda::kErrorNotFound;
    }
    f.function_ = new_handle<cuda::Function>();
    *function = f.function_;
    return cuda::kSuccess;
  }
  static cuda::Result module_unload(cuda::Module module) {
    const cuda::Result entered = enter("cuModuleUnload", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (fake().modules_.erase(module) == 0) {
      return cuda::kErrorInvalidHandle;
    }
    ++fake().modules_unloaded;
    return cuda::kSuccess;
  }

  static cuda::Result mem_alloc(cuda::DevicePtr* pointer, size_t bytes) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemAlloc_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (bytes == 0) {
      return cuda::kErrorInvalidValue;
    }
    if (f.used_bytes_ + bytes > f.device.memory_bytes) {
      return cuda::kErrorOutOfMemory;
    }
    *pointer = f.next_address_;
    f.next_address_ += (bytes + 0xFFFFF) & ~uint64_t{0xFFFFF};  // 1 MiB apart, as a driver
    f.buffers_[*pointer].assign(bytes, 0xCD);
    f.used_bytes_ += bytes;
    ++f.allocations;
    return cuda::kSuccess;
  }
  static cuda::Result mem_free(cuda::DevicePtr pointer) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemFree_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    const auto it = f.buffers_.find(pointer);
    if (it == f.buffers_.end()) {
      return cuda::kErrorInvalidValue;
    }
    f.used_bytes_ -= it->second.size();
    f.buffers_.erase(it);
    ++f.frees;
    return cuda::kSuccess;
  }
  static cuda::Result memcpy_htod(cuda::DevicePtr destination, const void* source, size_t bytes) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemcpyHtoD_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    unsigned char* target = f.resolve(destination, bytes);
    if (target == nullptr || source == nullptr) {
      return cuda::kErrorInvalidValue;
    }
    std::memcpy(target, source, bytes);
    f.copy_sizes.push_back(bytes);
    f.advance_clock(bytes, f.device.host_to_device_gbps);
    return cuda::kSuccess;
  }
  static cuda::Result memcpy_dtoh(void* destination, cuda::DevicePtr source, size_t bytes) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemcpyDtoH_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    const unsigned char* from = f.resolve(source, bytes);
    if (from == nullptr || destination == nullptr) {
      return cuda::kErrorInvalidValue;
    }
    std::memcpy(destination, from, bytes);
    f.copy_sizes.push_back(bytes);
    return cuda::kSuccess;
  }
  static cuda::Result memcpy_dtod(cuda::DevicePtr destination, cuda::DevicePtr source,
                                  size_t bytes) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemcpyDtoD_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    unsigned char* target = f.resolve(destination, bytes);
    const unsigned char* from = f.resolve(source, bytes);
    if (target == nullptr || from == nullptr) {
      return cuda::kErrorInvalidValue;
    }
    std::memmove(target, from, bytes);
    f.copy_sizes.push_back(bytes);
    f.advance_clock(bytes, f.device.device_to_device_gbps);
    return cuda::kSuccess;
  }
  static cuda::Result mem_host_alloc(void** pointer, size_t bytes, unsigned /*flags*/) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuMemHostAlloc", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    f.host_storage_.emplace_back(bytes, 0);
    *pointer = f.host_storage_.back().data();
    f.host_buffers_.insert(*pointer);
    ++f.host_allocations;
    return cuda::kSuccess;
  }
  static cuda::Result mem_free_host(void* pointer) {
    const cuda::Result entered = enter("cuMemFreeHost", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (fake().host_buffers_.erase(pointer) == 0) {
      return cuda::kErrorInvalidValue;
    }
    ++fake().host_frees;
    return cuda::kSuccess;
  }

  // The probe's kernel: params are y, x (device pointers), a (float), n (unsigned). Only the
  // threads launched compute, so a grid too small for n leaves elements untouched.
  static cuda::Result launch_kernel(cuda::Function function, unsigned grid_x, unsigned grid_y,
                                    unsigned grid_z, unsigned block_x, unsigned block_y,
                                    unsigned block_z, unsigned /*shared_bytes*/,
                                    cuda::Stream /*stream*/, void** params, void** extra) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuLaunchKernel", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (function == nullptr || function != f.function_) {
      return cuda::kErrorInvalidHandle;
    }
    const uint64_t block = uint64_t{block_x} * block_y * block_z;
    if (grid_x == 0 || grid_y == 0 || grid_z == 0 || block == 0 || block > 1024 ||
        params == nullptr || extra != nullptr) {
      return cuda::kErrorInvalidValue;
    }
    const cuda::DevicePtr y_address = *static_cast<cuda::DevicePtr*>(params[0]);
    const cuda::DevicePtr x_address = *static_cast<cuda::DevicePtr*>(params[1]);
    const float a = *static_cast<float*>(params[2]);
    const unsigned n = *static_cast<unsigned*>(params[3]);
    f.launched_threads = uint64_t{grid_x} * grid_y * grid_z * block;
    unsigned char* y_bytes = f.resolve(y_address, uint64_t{n} * sizeof(float));
    const unsigned char* x_bytes = f.resolve(x_address, uint64_t{n} * sizeof(float));
    if (y_bytes == nullptr || x_bytes == nullptr) {
      return cuda::kErrorIllegalAddress;
    }
    const uint64_t computed = std::min<uint64_t>(n, f.launched_threads);
    for (uint64_t i = 0; i < computed; ++i) {
      float x = 0;
      float y = 0;
      std::memcpy(&x, x_bytes + i * sizeof(float), sizeof(float));
      std::memcpy(&y, y_bytes + i * sizeof(float), sizeof(float));
      y = a * x + y;
      if (f.device.wrong_result && i == n / 2) {
        y += 1;
      }
      std::memcpy(y_bytes + i * sizeof(float), &y, sizeof(float));
    }
    return cuda::kSuccess;
  }

  static cuda::Result event_create(cuda::Event* event, unsigned /*flags*/) {
    const cuda::Result entered = enter("cuEventCreate", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    *event = new_handle<cuda::Event>();
    fake().events_[*event] = -1;
    ++fake().events_created;
    return cuda::kSuccess;
  }
  static cuda::Result event_record(cuda::Event event, cuda::Stream /*stream*/) {
    const cuda::Result entered = enter("cuEventRecord", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    const auto it = fake().events_.find(event);
    if (it == fake().events_.end()) {
      return cuda::kErrorInvalidHandle;
    }
    it->second = fake().clock_seconds_;
    return cuda::kSuccess;
  }
  static cuda::Result event_synchronize(cuda::Event event) {
    const cuda::Result entered = enter("cuEventSynchronize", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    return fake().events_.count(event) != 0 ? cuda::kSuccess : cuda::kErrorInvalidHandle;
  }
  static cuda::Result event_elapsed_time(float* milliseconds, cuda::Event start, cuda::Event end) {
    FakeCuda& f = fake();
    const cuda::Result entered = enter("cuEventElapsedTime", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    const auto from = f.events_.find(start);
    const auto to = f.events_.find(end);
    if (from == f.events_.end() || to == f.events_.end()) {
      return cuda::kErrorInvalidHandle;
    }
    if (from->second < 0 || to->second < 0) {
      return cuda::kErrorNotReady;  // not recorded: the driver's answer
    }
    *milliseconds = static_cast<float>((to->second - from->second) * 1e3);
    return cuda::kSuccess;
  }
  static cuda::Result event_destroy(cuda::Event event) {
    const cuda::Result entered = enter("cuEventDestroy_v2", true);
    if (entered != cuda::kSuccess) {
      return entered;
    }
    if (fake().events_.erase(event) == 0) {
      return cuda::kErrorInvalidHandle;
    }
    ++fake().events_destroyed;
    return cuda::kSuccess;
  }

  static cuda::Result get_error_name(cuda::Result error, const char** name) {
    fake().calls.emplace_back("cuGetErrorName");
    fake().strings_.push_back(probe::cuda_result_name(error));
    *name = fake().strings_.back().c_str();
    return cuda::kSuccess;
  }
  static cuda::Result get_error_string(cuda::Result error, const char** text) {
    fake().calls.emplace_back("cuGetErrorString");
    fake().strings_.push_back("fake description of CUDA error " + std::to_string(error));
    *text = fake().strings_.back().c_str();
    return cuda::kSuccess;
  }

  bool initialized_ = false;
  uintptr_t next_handle_ = 0;
  cuda::DevicePtr next_address_ = 0x7f0000000000ULL;
  uint64_t used_bytes_ = 0;
  std::map<cuda::DevicePtr, std::vector<unsigned char>> buffers_;
  std::deque<std::vector<unsigned char>> host_storage_;
  std::set<void*> host_buffers_;
  std::set<cuda::Context> contexts_;
  std::set<cuda::Module> modules_;
  std::map<cuda::Event, double> events_;  // the fake clock when recorded; -1: not yet
  cuda::Function function_ = nullptr;
  double clock_seconds_ = 0;
  std::deque<std::string> strings_;  // what cuGetError* pointed at, kept alive

  static inline FakeCuda* current_ = nullptr;
};

}  // namespace deepdock::testing
