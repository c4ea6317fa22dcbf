#pragma once
// Our own declarations of the part of the NVML C ABI the probe uses (no NVIDIA header is
// needed to build it). Values and layouts are those of nvml.h; they are part of NVIDIA's
// stable ABI and have not changed since the functions were added. libnvidia-ml.so.1 is
// opened at run time (driver_library.hpp) and every function is looked up by name, so a
// symbol an old driver lacks leaves its pointer null instead of failing to start.

#include <cstdint>

namespace deepdock::probe {

namespace nvml {

// nvmlReturn_t: a C enum, passed and returned as an int.
using Return = int;
inline constexpr Return kSuccess = 0;
inline constexpr Return kErrorUninitialized = 1;
inline constexpr Return kErrorInvalidArgument = 2;
inline constexpr Return kErrorNotSupported = 3;
inline constexpr Return kErrorNoPermission = 4;
inline constexpr Return kErrorAlreadyInitialized = 5;
inline constexpr Return kErrorNotFound = 6;
inline constexpr Return kErrorInsufficientSize = 7;
inline constexpr Return kErrorInsufficientPower = 8;
inline constexpr Return kErrorDriverNotLoaded = 9;
inline constexpr Return kErrorTimeout = 10;
inline constexpr Return kErrorIrqIssue = 11;
inline constexpr Return kErrorLibraryNotFound = 12;
inline constexpr Return kErrorFunctionNotFound = 13;
inline constexpr Return kErrorCorruptedInforom = 14;
inline constexpr Return kErrorGpuIsLost = 15;
inline constexpr Return kErrorResetRequired = 16;
inline constexpr Return kErrorOperatingSystem = 17;
inline constexpr Return kErrorLibRmVersionMismatch = 18;
inline constexpr Return kErrorInUse = 19;
inline constexpr Return kErrorMemory = 20;
inline constexpr Return kErrorNoData = 21;
inline constexpr Return kErrorVgpuEccNotSupported = 22;
inline constexpr Return kErrorInsufficientResources = 23;
inline constexpr Return kErrorFreqNotSupported = 24;
inline constexpr Return kErrorArgumentVersionMismatch = 25;
inline constexpr Return kErrorDeprecated = 26;
inline constexpr Return kErrorNotReady = 27;
inline constexpr Return kErrorGpuNotFound = 28;
inline constexpr Return kErrorInvalidState = 29;
inline constexpr Return kErrorUnknown = 999;

// nvmlDevice_t: an opaque handle.
struct DeviceOpaque;
using Device = DeviceOpaque*;

// nvmlEnableState_t (ECC): NVML_FEATURE_DISABLED, NVML_FEATURE_ENABLED.
using EnableState = int;
inline constexpr EnableState kFeatureDisabled = 0;
inline constexpr EnableState kFeatureEnabled = 1;

// MIG modes, reported as unsigned ints: NVML_DEVICE_MIG_DISABLE, NVML_DEVICE_MIG_ENABLE.
inline constexpr unsigned kMigDisable = 0;
inline constexpr unsigned kMigEnable = 1;

// Buffer sizes NVML documents as always large enough (the _V2 sizes of newer drivers, which
// older drivers accept too: a larger buffer is never an error).
inline constexpr unsigned kSystemDriverVersionBufferSize = 80;
inline constexpr unsigned kDeviceNameBufferSize = 96;
inline constexpr unsigned kDeviceUuidBufferSize = 96;

// nvmlMemory_t, in bytes.
struct Memory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
static_assert(sizeof(Memory) == 24);

// nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it: the 32-byte bus id ("00000000:3B:00.0")
// after the legacy 16-byte one. (Older entry points fill an older, shorter layout: only _v3
// is ever called with this struct.)
struct PciInfo {
  char busIdLegacy[16];
  unsigned domain;
  unsigned bus;
  unsigned device;
  unsigned pciDeviceId;
  unsigned pciSubSystemId;
  char busId[32];
};
static_assert(sizeof(PciInfo) == 68);

}  // namespace nvml

// The NVML functions the probe calls, with their exact C signatures. Filled by load_nvml
// (driver_library.hpp) or by a test's fake; a null pointer is a function the library lacks.
struct NvmlApi {
  // Required: in every driver the probe supports (R384, CUDA 9, and later).
  nvml::Return (*nvmlInit_v2)() = nullptr;
  nvml::Return (*nvmlShutdown)() = nullptr;
  nvml::Return (*nvmlSystemGetDriverVersion)(char* version, unsigned length) = nullptr;
  nvml::Return (*nvmlDeviceGetCount_v2)(unsigned* count) = nullptr;
  nvml::Return (*nvmlDeviceGetHandleByIndex_v2)(unsigned index, nvml::Device* device) = nullptr;
  nvml::Return (*nvmlDeviceGetName)(nvml::Device device, char* name, unsigned length) = nullptr;
  nvml::Return (*nvmlDeviceGetUUID)(nvml::Device device, char* uuid, unsigned length) = nullptr;

  // Optional: added in later drivers, or not worth refusing an old one for.
  const char* (*nvmlErrorString)(nvml::Return result) = nullptr;
  nvml::Return (*nvmlSystemGetCudaDriverVersion)(int* version) = nullptr;
  nvml::Return (*nvmlDeviceGetPciInfo_v3)(nvml::Device device, nvml::PciInfo* pci) = nullptr;
  nvml::Return (*nvmlDeviceGetCudaComputeCapability)(nvml::Device device, int* major,
                                                     int* minor) = nullptr;
  nvml::Return (*nvmlDeviceGetMemoryInfo)(nvml::Device device, nvml::Memory* memory) = nullptr;
  nvml::Return (*nvmlDeviceGetCurrPcieLinkGeneration)(nvml::Device device,
                                                      unsigned* generation) = nullptr;
  nvml::Return (*nvmlDeviceGetCurrPcieLinkWidth)(nvml::Device device, unsigned* width) = nullptr;
  nvml::Return (*nvmlDeviceGetMaxPcieLinkGeneration)(nvml::Device device,
                                                     unsigned* generation) = nullptr;
  nvml::Return (*nvmlDeviceGetMaxPcieLinkWidth)(nvml::Device device, unsigned* width) = nullptr;
  nvml::Return (*nvmlDeviceGetEccMode)(nvml::Device device, nvml::EnableState* current,
                                       nvml::EnableState* pending) = nullptr;
  nvml::Return (*nvmlDeviceGetMigMode)(nvml::Device device, unsigned* current,
                                       unsigned* pending) = nullptr;
};

// One row per function of the table: visitor.required(name, slot) for those the probe cannot
// do without (a missing one makes the library unusable: LibraryStatus::missing_symbols),
// visitor.optional(name, slot) for those whose absence only leaves a field unknown.
template <typename Visitor>
void for_each_symbol(NvmlApi& api, Visitor& visitor) {
  visitor.required("nvmlInit_v2", api.nvmlInit_v2);
  visitor.required("nvmlShutdown", api.nvmlShutdown);
  visitor.required("nvmlSystemGetDriverVersion", api.nvmlSystemGetDriverVersion);
  visitor.required("nvmlDeviceGetCount_v2", api.nvmlDeviceGetCount_v2);
  visitor.required("nvmlDeviceGetHandleByIndex_v2", api.nvmlDeviceGetHandleByIndex_v2);
  visitor.required("nvmlDeviceGetName", api.nvmlDeviceGetName);
  visitor.required("nvmlDeviceGetUUID", api.nvmlDeviceGetUUID);
  visitor.optional("nvmlErrorString", api.nvmlErrorString);
  visitor.optional("nvmlSystemGetCudaDriverVersion", api.nvmlSystemGetCudaDriverVersion);
  visitor.optional("nvmlDeviceGetPciInfo_v3", api.nvmlDeviceGetPciInfo_v3);
  visitor.optional("nvmlDeviceGetCudaComputeCapability", api.nvmlDeviceGetCudaComputeCapability);
  visitor.optional("nvmlDeviceGetMemoryInfo", api.nvmlDeviceGetMemoryInfo);
  visitor.optional("nvmlDeviceGetCurrPcieLinkGeneration", api.nvmlDeviceGetCurrPcieLinkGeneration);
  visitor.optional("nvmlDeviceGetCurrPcieLinkWidth", api.nvmlDeviceGetCurrPcieLinkWidth);
  visitor.optional("nvmlDeviceGetMaxPcieLinkGeneration", api.nvmlDeviceGetMaxPcieLinkGeneration);
  visitor.optional("nvmlDeviceGetMaxPcieLinkWidth", api.nvmlDeviceGetMaxPcieLinkWidth);
  visitor.optional("nvmlDeviceGetEccMode", api.nvmlDeviceGetEccMode);
  visitor.optional("nvmlDeviceGetMigMode", api.nvmlDeviceGetMigMode);
}

}  // namespace deepdock::probe
