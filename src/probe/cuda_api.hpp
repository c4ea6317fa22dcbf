#pragma once
// Our own declarations of the part of the CUDA driver API (libcuda.so.1) the probe uses; no
// NVIDIA header is needed to build it. Values and signatures are those of cuda.h (checked
// against CUDA 13.0's): the _v2 entry points are the 64-bit ABI every driver since CUDA 4
// exports, and libcuda keeps exporting them for old programs after newer versions appear.

#include <cstddef>

namespace deepdock::probe {

namespace cuda {

// CUresult: a C enum, passed and returned as an int.
using Result = int;
inline constexpr Result kSuccess = 0;
inline constexpr Result kErrorInvalidValue = 1;
inline constexpr Result kErrorOutOfMemory = 2;
inline constexpr Result kErrorNotInitialized = 3;
inline constexpr Result kErrorDeinitialized = 4;
inline constexpr Result kErrorStubLibrary = 34;  // the toolkit's link stub, not a driver
inline constexpr Result kErrorCallRequiresNewerDriver = 36;
inline constexpr Result kErrorDeviceUnavailable = 46;  // exclusive-process mode, taken
inline constexpr Result kErrorNoDevice = 100;
inline constexpr Result kErrorInvalidDevice = 101;
inline constexpr Result kErrorInvalidImage = 200;
inline constexpr Result kErrorInvalidContext = 201;
inline constexpr Result kErrorNoBinaryForGpu = 209;
inline constexpr Result kErrorEccUncorrectable = 214;
inline constexpr Result kErrorInvalidPtx = 218;
inline constexpr Result kErrorJitCompilerNotFound = 221;
inline constexpr Result kErrorUnsupportedPtxVersion = 222;
inline constexpr Result kErrorJitCompilationDisabled = 223;
inline constexpr Result kErrorSharedObjectInitFailed = 303;
inline constexpr Result kErrorOperatingSystem = 304;
inline constexpr Result kErrorInvalidHandle = 400;
inline constexpr Result kErrorNotFound = 500;
inline constexpr Result kErrorNotReady = 600;
inline constexpr Result kErrorIllegalAddress = 700;
inline constexpr Result kErrorLaunchOutOfResources = 701;
inline constexpr Result kErrorLaunchTimeout = 702;
inline constexpr Result kErrorLaunchFailed = 719;
inline constexpr Result kErrorNotPermitted = 800;
inline constexpr Result kErrorNotSupported = 801;
inline constexpr Result kErrorSystemNotReady = 802;        // Fabric Manager not running (NVSwitch)
inline constexpr Result kErrorSystemDriverMismatch = 803;  // cuda-compat vs kernel driver
inline constexpr Result kErrorCompatNotSupportedOnDevice = 804;
inline constexpr Result kErrorUnknown = 999;

using Device = int;                       // CUdevice: an ordinal
using DevicePtr = unsigned long long;     // CUdeviceptr on 64-bit systems
using Context = struct ContextOpaque*;    // CUcontext
using Module = struct ModuleOpaque*;      // CUmodule
using Function = struct FunctionOpaque*;  // CUfunction
using Event = struct EventOpaque*;        // CUevent
using Stream = struct StreamOpaque*;      // CUstream; null is the default stream

// CUjit_option: a C enum passed as an int array to cuModuleLoadDataEx. The option values go
// in a parallel void* array; sizes are integers stored in the pointer.
using JitOption = int;
inline constexpr JitOption kJitErrorLogBuffer = 5;           // char*
inline constexpr JitOption kJitErrorLogBufferSizeBytes = 6;  // unsigned, in the pointer

}  // namespace cuda

// The driver API functions the probe calls, with their exact C signatures. Filled by
// load_cuda (driver_library.hpp) or by a test's fake; a null pointer is a function the
// library lacks.
struct CudaApi {
  // Required: the whole check needs each of them.
  cuda::Result (*cuInit)(unsigned flags) = nullptr;
  cuda::Result (*cuDriverGetVersion)(int* version) = nullptr;
  cuda::Result (*cuDeviceGetCount)(int* count) = nullptr;
  cuda::Result (*cuDeviceGet)(cuda::Device* device, int ordinal) = nullptr;
  cuda::Result (*cuDeviceGetName)(char* name, int length, cuda::Device device) = nullptr;
  cuda::Result (*cuCtxCreate_v2)(cuda::Context* context, unsigned flags,
                                 cuda::Device device) = nullptr;
  cuda::Result (*cuCtxDestroy_v2)(cuda::Context context) = nullptr;
  cuda::Result (*cuCtxSynchronize)() = nullptr;
  cuda::Result (*cuModuleLoadDataEx)(cuda::Module* module, const void* image, unsigned num_options,
                                     cuda::JitOption* options, void** option_values) = nullptr;
  cuda::Result (*cuModuleGetFunction)(cuda::Function* function, cuda::Module module,
                                      const char* name) = nullptr;
  cuda::Result (*cuModuleUnload)(cuda::Module module) = nullptr;
  cuda::Result (*cuMemAlloc_v2)(cuda::DevicePtr* pointer, size_t bytes) = nullptr;
  cuda::Result (*cuMemFree_v2)(cuda::DevicePtr pointer) = nullptr;
  cuda::Result (*cuMemcpyHtoD_v2)(cuda::DevicePtr destination, const void* source,
                                  size_t bytes) = nullptr;
  cuda::Result (*cuMemcpyDtoH_v2)(void* destination, cuda::DevicePtr source,
                                  size_t bytes) = nullptr;
  cuda::Result (*cuMemcpyDtoD_v2)(cuda::DevicePtr destination, cuda::DevicePtr source,
                                  size_t bytes) = nullptr;
  cuda::Result (*cuMemHostAlloc)(void** pointer, size_t bytes, unsigned flags) = nullptr;
  cuda::Result (*cuMemFreeHost)(void* pointer) = nullptr;
  cuda::Result (*cuLaunchKernel)(cuda::Function function, unsigned grid_x, unsigned grid_y,
                                 unsigned grid_z, unsigned block_x, unsigned block_y,
                                 unsigned block_z, unsigned shared_bytes, cuda::Stream stream,
                                 void** params, void** extra) = nullptr;
  cuda::Result (*cuEventCreate)(cuda::Event* event, unsigned flags) = nullptr;
  cuda::Result (*cuEventRecord)(cuda::Event event, cuda::Stream stream) = nullptr;
  cuda::Result (*cuEventSynchronize)(cuda::Event event) = nullptr;
  cuda::Result (*cuEventElapsedTime)(float* milliseconds, cuda::Event start,
                                     cuda::Event end) = nullptr;
  cuda::Result (*cuEventDestroy_v2)(cuda::Event event) = nullptr;

  // Optional: from CUDA 6.0 on; error_names.hpp names the codes without them.
  cuda::Result (*cuGetErrorName)(cuda::Result error, const char** name) = nullptr;
  cuda::Result (*cuGetErrorString)(cuda::Result error, const char** text) = nullptr;
};

// One row per function of the table: visitor.required(name, slot) for those the probe cannot
// do without (a missing one makes the library unusable: LibraryStatus::missing_symbols),
// visitor.optional(name, slot) for those whose absence only costs a description.
template <typename Visitor>
void for_each_symbol(CudaApi& api, Visitor& visitor) {
  visitor.required("cuInit", api.cuInit);
  visitor.required("cuDriverGetVersion", api.cuDriverGetVersion);
  visitor.required("cuDeviceGetCount", api.cuDeviceGetCount);
  visitor.required("cuDeviceGet", api.cuDeviceGet);
  visitor.required("cuDeviceGetName", api.cuDeviceGetName);
  visitor.required("cuCtxCreate_v2", api.cuCtxCreate_v2);
  visitor.required("cuCtxDestroy_v2", api.cuCtxDestroy_v2);
  visitor.required("cuCtxSynchronize", api.cuCtxSynchronize);
  visitor.required("cuModuleLoadDataEx", api.cuModuleLoadDataEx);
  visitor.required("cuModuleGetFunction", api.cuModuleGetFunction);
  visitor.required("cuModuleUnload", api.cuModuleUnload);
  visitor.required("cuMemAlloc_v2", api.cuMemAlloc_v2);
  visitor.required("cuMemFree_v2", api.cuMemFree_v2);
  visitor.required("cuMemcpyHtoD_v2", api.cuMemcpyHtoD_v2);
  visitor.required("cuMemcpyDtoH_v2", api.cuMemcpyDtoH_v2);
  visitor.required("cuMemcpyDtoD_v2", api.cuMemcpyDtoD_v2);
  visitor.required("cuMemHostAlloc", api.cuMemHostAlloc);
  visitor.required("cuMemFreeHost", api.cuMemFreeHost);
  visitor.required("cuLaunchKernel", api.cuLaunchKernel);
  visitor.required("cuEventCreate", api.cuEventCreate);
  visitor.required("cuEventRecord", api.cuEventRecord);
  visitor.required("cuEventSynchronize", api.cuEventSynchronize);
  visitor.required("cuEventElapsedTime", api.cuEventElapsedTime);
  visitor.required("cuEventDestroy_v2", api.cuEventDestroy_v2);
  visitor.optional("cuGetErrorName", api.cuGetErrorName);
  visitor.optional("cuGetErrorString", api.cuGetErrorString);
}

}  // namespace deepdock::probe
