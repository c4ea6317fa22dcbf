#pragma once
// FakeNvml: an NvmlApi whose functions answer from a described system (a driver and its
// GPUs) instead of libnvidia-ml.so.1. It records every call by name, keeps NVML's rules
// (nothing but nvmlInit_v2 works before it or after nvmlShutdown, buffers must be large
// enough), and can be told to fail a call, for every GPU or for one, or to lack a function.
//
// C function pointers carry no state, so the functions reach the fake through one static
// pointer: constructing a FakeNvml makes it the current one, destroying it clears it. Tests
// run on one thread and use one at a time.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "probe/nvml_api.hpp"
#include "probe/probe_report.hpp"

namespace deepdock::testing {

namespace nvml = probe::nvml;

struct FakeNvmlGpu {
  std::string name;
  std::string uuid;
  std::string pci_bus_id;
  int compute_major = 0;
  int compute_minor = 0;
  uint64_t memory_total = 0;
  unsigned pcie_generation = 0;
  unsigned pcie_width = 0;
  unsigned pcie_max_generation = 0;
  unsigned pcie_max_width = 0;
  nvml::EnableState ecc = nvml::kFeatureDisabled;
  unsigned mig = nvml::kMigDisable;
  std::map<std::string, nvml::Return> failures;  // function name -> its answer for this GPU
};

struct FakeNvmlSystem {
  nvml::Return init_result = nvml::kSuccess;
  std::string driver_version = "550.54.15";
  int cuda_driver_version = 12040;
  std::vector<FakeNvmlGpu> gpus;
  std::map<std::string, nvml::Return> failures;  // function name -> its answer, every call
  std::set<std::string> missing;                 // functions the library lacks (null)
};

inline FakeNvmlGpu fake_h100() {
  return {.name = "NVIDIA H100 80GB HBM3",
          .uuid = "GPU-5c6a1c4f-2b7e-8d3a-9f10-4e2b7c8d9a01",
          .pci_bus_id = "00000000:18:00.0",
          .compute_major = 9,
          .compute_minor = 0,
          .memory_total = 85520809984,
          .pcie_generation = 5,
          .pcie_width = 16,
          .pcie_max_generation = 5,
          .pcie_max_width = 16,
          .ecc = nvml::kFeatureEnabled,
          .mig = nvml::kMigDisable};
}

// A T4 has ECC but no MIG: NVML answers NOT_SUPPORTED for its MIG mode.
inline FakeNvmlGpu fake_t4() {
  return {.name = "Tesla T4",
          .uuid = "GPU-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
          .pci_bus_id = "00000000:3B:00.0",
          .compute_major = 7,
          .compute_minor = 5,
          .memory_total = 15843721216,
          .pcie_generation = 3,
          .pcie_width = 16,
          .pcie_max_generation = 3,
          .pcie_max_width = 16,
          .ecc = nvml::kFeatureEnabled,
          .mig = nvml::kMigDisable,
          .failures = {{"nvmlDeviceGetMigMode", nvml::kErrorNotSupported}}};
}

inline FakeNvmlSystem fake_h100_and_t4() {
  FakeNvmlSystem system;
  system.gpus = {fake_h100(), fake_t4()};
  return system;
}

class FakeNvml {
 public:
  FakeNvmlSystem system;
  std::vector<std::string> calls;  // every call, by function name
  int init_count = 0;
  int shutdown_count = 0;

  explicit FakeNvml(FakeNvmlSystem described) : system(std::move(described)) {
    EXPECT_EQ(current_, nullptr) << "one FakeNvml at a time";
    current_ = this;
  }
  ~FakeNvml() { current_ = nullptr; }
  FakeNvml(const FakeNvml&) = delete;
  FakeNvml& operator=(const FakeNvml&) = delete;
  FakeNvml(FakeNvml&&) = delete;
  FakeNvml& operator=(FakeNvml&&) = delete;

  // Every function, except those named in system.missing.
  [[nodiscard]] probe::NvmlApi api() const {
    probe::NvmlApi api;
    api.nvmlInit_v2 = &init_v2;
    api.nvmlShutdown = &shutdown;
    api.nvmlErrorString = &error_string;
    api.nvmlSystemGetDriverVersion = &driver_version;
    api.nvmlSystemGetCudaDriverVersion = &cuda_driver_version;
    api.nvmlDeviceGetCount_v2 = &device_count;
    api.nvmlDeviceGetHandleByIndex_v2 = &handle_by_index;
    api.nvmlDeviceGetName = &device_name;
    api.nvmlDeviceGetUUID = &device_uuid;
    api.nvmlDeviceGetPciInfo_v3 = &pci_info;
    api.nvmlDeviceGetCudaComputeCapability = &compute_capability;
    api.nvmlDeviceGetMemoryInfo = &memory_info;
    api.nvmlDeviceGetCurrPcieLinkGeneration = &curr_link_generation;
    api.nvmlDeviceGetCurrPcieLinkWidth = &curr_link_width;
    api.nvmlDeviceGetMaxPcieLinkGeneration = &max_link_generation;
    api.nvmlDeviceGetMaxPcieLinkWidth = &max_link_width;
    api.nvmlDeviceGetEccMode = &ecc_mode;
    api.nvmlDeviceGetMigMode = &mig_mode;
    Remover remover{system.missing, 0};
    probe::for_each_symbol(api, remover);
    EXPECT_EQ(remover.removed, system.missing.size()) << "system.missing names an unknown function";
    return api;
  }

  // What load_nvml reports for a library that loaded with every required symbol.
  static probe::LibraryStatus usable_library() {
    return {.soname = "libnvidia-ml.so.1",
            .loaded = true,
            .path = "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.54.15"};
  }

  [[nodiscard]] bool initialized() const { return init_count > shutdown_count; }

 private:
  struct Remover {
    const std::set<std::string>& missing;
    size_t removed;
    template <typename Function>
    void required(const char* name, Function*& slot) {
      remove(name, slot);
    }
    template <typename Function>
    void optional(const char* name, Function*& slot) {
      remove(name, slot);
    }
    template <typename Function>
    void remove(const char* name, Function*& slot) {
      if (missing.count(name) != 0) {
        slot = nullptr;
        ++removed;
      }
    }
  };

  static FakeNvml& fake() { return *current_; }

  // Records the call; the answer it was told to give, if any.
  nvml::Return enter(const char* call, const FakeNvmlGpu* gpu = nullptr) {
    calls.emplace_back(call);
    if (const auto it = system.failures.find(call); it != system.failures.end()) {
      return it->second;
    }
    if (gpu != nullptr) {
      if (const auto it = gpu->failures.find(call); it != gpu->failures.end()) {
        return it->second;
      }
    }
    return initialized() ? nvml::kSuccess : nvml::kErrorUninitialized;
  }

  // The GPU behind a handle, or null for one this fake did not give out.
  const FakeNvmlGpu* gpu_of(nvml::Device device) const {
    const auto* gpu = reinterpret_cast<const FakeNvmlGpu*>(device);
    for (const FakeNvmlGpu& known : system.gpus) {
      if (&known == gpu) {
        return gpu;
      }
    }
    return nullptr;
  }

  static nvml::Return copy_text(const std::string& text, char* buffer, unsigned length) {
    if (buffer == nullptr || length < text.size() + 1) {
      return nvml::kErrorInsufficientSize;
    }
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return nvml::kSuccess;
  }

  // The start of every per-GPU query: the call recorded, the handle checked.
  static nvml::Return enter_gpu(const char* call, nvml::Device device, const FakeNvmlGpu*& gpu) {
    gpu = fake().gpu_of(device);
    if (gpu == nullptr) {
      fake().calls.emplace_back(call);
      return nvml::kErrorInvalidArgument;
    }
    return fake().enter(call, gpu);
  }

  static nvml::Return init_v2() {
    FakeNvml& f = fake();
    f.calls.emplace_back("nvmlInit_v2");
    if (const auto it = f.system.failures.find("nvmlInit_v2"); it != f.system.failures.end()) {
      return it->second;
    }
    if (f.system.init_result != nvml::kSuccess) {
      return f.system.init_result;
    }
    ++f.init_count;
    return nvml::kSuccess;
  }
  static nvml::Return shutdown() {
    FakeNvml& f = fake();
    const nvml::Return entered = f.enter("nvmlShutdown");
    if (entered == nvml::kSuccess) {
      ++f.shutdown_count;
    }
    return entered;
  }
  static const char* error_string(nvml::Return result) {
    fake().calls.emplace_back("nvmlErrorString");
    switch (result) {
      case nvml::kSuccess:
        return "Success";
      case nvml::kErrorNotSupported:
        return "Not Supported";
      case nvml::kErrorNoPermission:
        return "Insufficient Permissions";
      case nvml::kErrorDriverNotLoaded:
        return "Driver Not Loaded";
      case nvml::kErrorGpuIsLost:
        return "GPU is lost";
      case nvml::kErrorLibRmVersionMismatch:
        return "Driver/library version mismatch";
      default:
        return "Unknown Error";
    }
  }
  static nvml::Return driver_version(char* version, unsigned length) {
    const nvml::Return entered = fake().enter("nvmlSystemGetDriverVersion");
    return entered != nvml::kSuccess ? entered
                                     : copy_text(fake().system.driver_version, version, length);
  }
  static nvml::Return cuda_driver_version(int* version) {
    const nvml::Return entered = fake().enter("nvmlSystemGetCudaDriverVersion");
    if (entered == nvml::kSuccess) {
      *version = fake().system.cuda_driver_version;
    }
    return entered;
  }
  static nvml::Return device_count(unsigned* count) {
    const nvml::Return entered = fake().enter("nvmlDeviceGetCount_v2");
    if (entered == nvml::kSuccess) {
      *count = static_cast<unsigned>(fake().system.gpus.size());
    }
    return entered;
  }
  static nvml::Return handle_by_index(unsigned index, nvml::Device* device) {
    FakeNvml& f = fake();
    const FakeNvmlGpu* gpu = index < f.system.gpus.size() ? &f.system.gpus[index] : nullptr;
    const nvml::Return entered = f.enter("nvmlDeviceGetHandleByIndex_v2", gpu);
    if (entered != nvml::kSuccess) {
      return entered;
    }
    if (gpu == nullptr) {
      return nvml::kErrorInvalidArgument;
    }
    // The handle is the described GPU's address; gpu_of takes it back.
    *device = reinterpret_cast<nvml::Device>(const_cast<FakeNvmlGpu*>(gpu));
    return nvml::kSuccess;
  }
  static nvml::Return device_name(nvml::Device device, char* name, unsigned length) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetName", device, gpu);
    return entered != nvml::kSuccess ? entered : copy_text(gpu->name, name, length);
  }
  static nvml::Return device_uuid(nvml::Device device, char* uuid, unsigned length) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetUUID", device, gpu);
    return entered != nvml::kSuccess ? entered : copy_text(gpu->uuid, uuid, length);
  }
  static nvml::Return pci_info(nvml::Device device, nvml::PciInfo* pci) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetPciInfo_v3", device, gpu);
    if (entered != nvml::kSuccess) {
      return entered;
    }
    *pci = nvml::PciInfo{};
    // The legacy field holds the short form ("0000:18:00.0"), as a real driver fills it.
    copy_text(gpu->pci_bus_id.substr(4), pci->busIdLegacy, sizeof pci->busIdLegacy);
    return copy_text(gpu->pci_bus_id, pci->busId, sizeof pci->busId);
  }
  static nvml::Return compute_capability(nvml::Device device, int* major, int* minor) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetCudaComputeCapability", device, gpu);
    if (entered == nvml::kSuccess) {
      *major = gpu->compute_major;
      *minor = gpu->compute_minor;
    }
    return entered;
  }
  static nvml::Return memory_info(nvml::Device device, nvml::Memory* memory) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetMemoryInfo", device, gpu);
    if (entered == nvml::kSuccess) {
      *memory = {.total = gpu->memory_total,
                 .free = gpu->memory_total / 2,
                 .used = gpu->memory_total - gpu->memory_total / 2};
    }
    return entered;
  }
  static nvml::Return link_value(const char* call, nvml::Device device,
                                 unsigned FakeNvmlGpu::*field, unsigned* value) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu(call, device, gpu);
    if (entered == nvml::kSuccess) {
      *value = gpu->*field;
    }
    return entered;
  }
  static nvml::Return curr_link_generation(nvml::Device device, unsigned* generation) {
    return link_value("nvmlDeviceGetCurrPcieLinkGeneration", device, &FakeNvmlGpu::pcie_generation,
                      generation);
  }
  static nvml::Return curr_link_width(nvml::Device device, unsigned* width) {
    return link_value("nvmlDeviceGetCurrPcieLinkWidth", device, &FakeNvmlGpu::pcie_width, width);
  }
  static nvml::Return max_link_generation(nvml::Device device, unsigned* generation) {
    return link_value("nvmlDeviceGetMaxPcieLinkGeneration", device,
                      &FakeNvmlGpu::pcie_max_generation, generation);
  }
  static nvml::Return max_link_width(nvml::Device device, unsigned* width) {
    return link_value("nvmlDeviceGetMaxPcieLinkWidth", device, &FakeNvmlGpu::pcie_max_width, width);
  }
  static nvml::Return ecc_mode(nvml::Device device, nvml::EnableState* current,
                               nvml::EnableState* pending) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetEccMode", device, gpu);
    if (entered == nvml::kSuccess) {
      *current = gpu->ecc;
      *pending = gpu->ecc;
    }
    return entered;
  }
  static nvml::Return mig_mode(nvml::Device device, unsigned* current, unsigned* pending) {
    const FakeNvmlGpu* gpu = nullptr;
    const nvml::Return entered = enter_gpu("nvmlDeviceGetMigMode", device, gpu);
    if (entered == nvml::kSuccess) {
      *current = gpu->mig;
      *pending = gpu->mig;
    }
    return entered;
  }

  static inline FakeNvml* current_ = nullptr;
};

}  // namespace deepdock::testing
