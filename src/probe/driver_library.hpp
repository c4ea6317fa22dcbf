#pragma once
// Opening the two vendor libraries the probe talks to, NVML and libcuda, defensively: dlopen
// by soname (the container runtime mounts the host driver's copies and ldconfig finds them),
// or a path that an argument or the environment names instead; every function looked up by
// name; a missing required one recorded, a missing optional one left null. Nothing is linked
// against NVIDIA libraries, so the probe starts on any machine and reports what it finds.

#include <string>

#include "probe/cuda_api.hpp"
#include "probe/nvml_api.hpp"
#include "probe/probe_report.hpp"

namespace deepdock::probe {

inline constexpr const char* kNvmlSoname = "libnvidia-ml.so.1";
inline constexpr const char* kCudaSoname = "libcuda.so.1";
// Environment variables naming another file (a path or a soname) to load instead.
inline constexpr const char* kNvmlLibraryEnv = "DEEPDOCK_PROBE_NVML_LIBRARY";
inline constexpr const char* kCudaLibraryEnv = "DEEPDOCK_PROBE_CUDA_LIBRARY";

// A dlopen handle. Move-only; dlclosed on destruction unless it was opened to stay loaded.
class SharedLibrary {
 public:
  SharedLibrary() = default;
  SharedLibrary(void* handle, bool close_on_destruction)
      : handle_(handle), close_(close_on_destruction) {}
  ~SharedLibrary();
  SharedLibrary(SharedLibrary&& other) noexcept;
  SharedLibrary& operator=(SharedLibrary&& other) noexcept;
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  [[nodiscard]] bool loaded() const { return handle_ != nullptr; }
  // The address of `name`, or null when the library lacks it (or is not loaded).
  [[nodiscard]] void* symbol(const char* name) const;

 private:
  void reset();
  void* handle_ = nullptr;
  bool close_ = true;
};

// What to load: `explicit_name` when it is given and not empty, else the environment
// variable `env_var` when it is set and not empty, else `soname`.
std::string choose_library(const char* explicit_name, const char* env_var, const char* soname);

// dlopen(name, RTLD_NOW | RTLD_LOCAL). Fills status.soname with `name`, and either
// status.loaded and status.path (the file the loader picked) or status.error (dlerror's
// words).
SharedLibrary open_library(const std::string& name, bool close_on_destruction,
                           LibraryStatus& status);

// Fills every function of the table that the library has; appends each required one it
// lacks to status.missing_symbols. A library that is not loaded leaves the table null.
void bind_symbols(const SharedLibrary& library, NvmlApi& api, LibraryStatus& status);
void bind_symbols(const SharedLibrary& library, CudaApi& api, LibraryStatus& status);

struct NvmlLibrary {
  LibraryStatus status;
  NvmlApi api;
  SharedLibrary library;  // dlclosed with this object: NVML is done after nvmlShutdown
};

struct CudaLibrary {
  LibraryStatus status;
  CudaApi api;
  // Never dlclosed: libcuda starts threads and registers exit-time handlers that must find
  // its code still mapped when the process ends, so unloading it early can crash the exit.
  SharedLibrary library;
};

// NVML from `override_path`, else $DEEPDOCK_PROBE_NVML_LIBRARY, else libnvidia-ml.so.1.
NvmlLibrary load_nvml(const char* override_path = nullptr);
// libcuda from `override_path`, else $DEEPDOCK_PROBE_CUDA_LIBRARY, else libcuda.so.1.
CudaLibrary load_cuda(const char* override_path = nullptr);

}  // namespace deepdock::probe
