#include "probe/nvml_reader.hpp"

#include <array>
#include <cstring>
#include <string>

#include "probe/error_names.hpp"

namespace deepdock::probe {
namespace {

// More GPUs than any machine has: a count beyond it is garbage, not a reason to loop.
constexpr unsigned kMaxGpus = 1024;

template <size_t N>
std::string text_of(const std::array<char, N>& buffer) {
  return {buffer.data(), strnlen(buffer.data(), N)};
}

CallError nvml_error(const NvmlApi& api, const char* call, nvml::Return code) {
  CallError error;
  error.call = call;
  error.code = code;
  error.name = nvml_return_name(code);
  if (api.nvmlErrorString != nullptr) {
    const char* text = api.nvmlErrorString(code);
    if (text != nullptr) {
      error.text = text;
    }
  }
  return error;
}

enum class Outcome { kOk, kUnsupported, kFailed };

// What one query's result means for the GPU: a failure other than "not supported" is kept.
Outcome check(const NvmlApi& api, GpuDetails& gpu, const char* call, nvml::Return code) {
  if (code == nvml::kSuccess) {
    return Outcome::kOk;
  }
  if (code == nvml::kErrorNotSupported) {
    return Outcome::kUnsupported;
  }
  gpu.errors.push_back(nvml_error(api, call, code));
  return Outcome::kFailed;
}

FeatureState feature_state(Outcome outcome, bool enabled) {
  switch (outcome) {
    case Outcome::kOk:
      return enabled ? FeatureState::kOn : FeatureState::kOff;
    case Outcome::kUnsupported:
      return FeatureState::kUnsupported;
    case Outcome::kFailed:
      break;
  }
  return FeatureState::kUnknown;
}

using LinkQuery = nvml::Return (*)(nvml::Device, unsigned*);

void read_link(const NvmlApi& api, GpuDetails& gpu, nvml::Device device, const char* call,
               LinkQuery query, int& field) {
  if (query == nullptr) {
    return;
  }
  unsigned value = 0;
  if (check(api, gpu, call, query(device, &value)) == Outcome::kOk) {
    field = static_cast<int>(value);
  }
}

void read_identity(const NvmlApi& api, GpuDetails& gpu, nvml::Device device) {
  std::array<char, nvml::kDeviceNameBufferSize> name{};
  if (check(api, gpu, "nvmlDeviceGetName",
            api.nvmlDeviceGetName(device, name.data(), name.size())) == Outcome::kOk) {
    gpu.name = text_of(name);
  }
  std::array<char, nvml::kDeviceUuidBufferSize> uuid{};
  if (check(api, gpu, "nvmlDeviceGetUUID",
            api.nvmlDeviceGetUUID(device, uuid.data(), uuid.size())) == Outcome::kOk) {
    gpu.uuid = text_of(uuid);
  }
  if (api.nvmlDeviceGetPciInfo_v3 != nullptr) {
    nvml::PciInfo pci{};
    if (check(api, gpu, "nvmlDeviceGetPciInfo_v3", api.nvmlDeviceGetPciInfo_v3(device, &pci)) ==
        Outcome::kOk) {
      gpu.pci_bus_id = {pci.busId, strnlen(pci.busId, sizeof pci.busId)};
    }
  }
  if (api.nvmlDeviceGetCudaComputeCapability != nullptr) {
    int major = -1;
    int minor = -1;
    if (check(api, gpu, "nvmlDeviceGetCudaComputeCapability",
              api.nvmlDeviceGetCudaComputeCapability(device, &major, &minor)) == Outcome::kOk) {
      gpu.compute_major = major;
      gpu.compute_minor = minor;
    }
  }
}

void read_resources(const NvmlApi& api, GpuDetails& gpu, nvml::Device device) {
  if (api.nvmlDeviceGetMemoryInfo != nullptr) {
    nvml::Memory memory{};
    if (check(api, gpu, "nvmlDeviceGetMemoryInfo", api.nvmlDeviceGetMemoryInfo(device, &memory)) ==
        Outcome::kOk) {
      gpu.memory_total_bytes = memory.total;
    }
  }
  read_link(api, gpu, device, "nvmlDeviceGetCurrPcieLinkGeneration",
            api.nvmlDeviceGetCurrPcieLinkGeneration, gpu.pcie_generation);
  read_link(api, gpu, device, "nvmlDeviceGetCurrPcieLinkWidth", api.nvmlDeviceGetCurrPcieLinkWidth,
            gpu.pcie_width);
  read_link(api, gpu, device, "nvmlDeviceGetMaxPcieLinkGeneration",
            api.nvmlDeviceGetMaxPcieLinkGeneration, gpu.pcie_max_generation);
  read_link(api, gpu, device, "nvmlDeviceGetMaxPcieLinkWidth", api.nvmlDeviceGetMaxPcieLinkWidth,
            gpu.pcie_max_width);
}

void read_modes(const NvmlApi& api, GpuDetails& gpu, nvml::Device device) {
  if (api.nvmlDeviceGetEccMode != nullptr) {
    nvml::EnableState current = nvml::kFeatureDisabled;
    nvml::EnableState pending = nvml::kFeatureDisabled;
    const Outcome outcome = check(api, gpu, "nvmlDeviceGetEccMode",
                                  api.nvmlDeviceGetEccMode(device, &current, &pending));
    gpu.ecc = feature_state(outcome, current == nvml::kFeatureEnabled);
  }
  if (api.nvmlDeviceGetMigMode != nullptr) {
    unsigned current = nvml::kMigDisable;
    unsigned pending = nvml::kMigDisable;
    const Outcome outcome = check(api, gpu, "nvmlDeviceGetMigMode",
                                  api.nvmlDeviceGetMigMode(device, &current, &pending));
    gpu.mig = feature_state(outcome, current == nvml::kMigEnable);
  }
}

GpuDetails read_gpu(const NvmlApi& api, unsigned index) {
  GpuDetails gpu;
  gpu.index = index;
  nvml::Device device = nullptr;
  if (check(api, gpu, "nvmlDeviceGetHandleByIndex_v2",
            api.nvmlDeviceGetHandleByIndex_v2(index, &device)) != Outcome::kOk) {
    return gpu;  // a lost GPU still counts, with the reason in its errors
  }
  read_identity(api, gpu, device);
  read_resources(api, gpu, device);
  read_modes(api, gpu, device);
  return gpu;
}

}  // namespace

NvmlReport read_nvml(const NvmlApi& api, const LibraryStatus& library) {
  NvmlReport report;
  report.library = library;
  if (!library.usable()) {
    return report;
  }
  const nvml::Return init = api.nvmlInit_v2();
  if (init != nvml::kSuccess) {
    report.init = nvml_error(api, "nvmlInit_v2", init);
    return report;
  }
  std::array<char, nvml::kSystemDriverVersionBufferSize> version{};
  if (api.nvmlSystemGetDriverVersion(version.data(), version.size()) == nvml::kSuccess) {
    report.driver_version = text_of(version);
  }
  int cuda_version = 0;
  if (api.nvmlSystemGetCudaDriverVersion != nullptr &&
      api.nvmlSystemGetCudaDriverVersion(&cuda_version) == nvml::kSuccess) {
    report.cuda_driver_version = cuda_version;
  }
  unsigned count = 0;
  const nvml::Return counted = api.nvmlDeviceGetCount_v2(&count);
  if (counted != nvml::kSuccess) {
    report.init = nvml_error(api, "nvmlDeviceGetCount_v2", counted);
  } else {
    for (unsigned index = 0; index < count && index < kMaxGpus; ++index) {
      report.gpus.push_back(read_gpu(api, index));
    }
  }
  api.nvmlShutdown();
  return report;
}

}  // namespace deepdock::probe
