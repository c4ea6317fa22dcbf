#include "probe/diagnosis.hpp"

#include <string>
#include <utility>

namespace deepdock::probe {
namespace {

void add(ProbeReport& report, Severity severity, std::string what, std::string fix) {
  report.problems.push_back({severity, std::move(what), std::move(fix)});
}

std::string describe(const CallError& error) {
  std::string text = error.call + " failed: " + error.name;
  if (!error.text.empty()) {
    text += " (" + error.text + ")";
  }
  return text;
}

constexpr const char* kToolkitFix =
    "run the container through the NVIDIA runtime or CDI: on the host, `sudo nvidia-ctk runtime "
    "configure --runtime=docker && sudo systemctl restart docker`; `deepdock doctor` checks "
    "the host";

// The device nodes: present when any GPU or the control node is.
bool diagnose_nodes(ProbeReport& report) {
  const DeviceNodes& nodes = report.nodes;
  if (nodes.gpus.empty()) {
    add(report, Severity::kError,
        "/dev/nvidiactl is in the container but no /dev/nvidia<N>: no GPU was assigned to it",
        "check NVIDIA_VISIBLE_DEVICES and the engine's device request (`--gpus all`); "
        "`nvidia-smi` on the host shows whether the GPUs are there");
    return false;
  }
  if (!nodes.control) {
    add(report, Severity::kError, "/dev/nvidiactl is missing, so no driver call can be made",
        kToolkitFix);
    return false;
  }
  if (!nodes.uvm) {
    add(report, Severity::kError,
        "/dev/nvidia-uvm is missing: CUDA cannot start without it (the nvidia-uvm module "
        "is not loaded on the host, which is common on machines without a display)",
        "on the host: `sudo nvidia-modprobe -u -c=0` (or `sudo modprobe nvidia-uvm`), then "
        "`deepdock up` again");
    return false;
  }
  return true;
}

bool diagnose_nvml(ProbeReport& report) {
  const NvmlReport& nvml = report.nvml;
  if (!nvml.library.loaded) {
    add(report, Severity::kError,
        "libnvidia-ml.so.1 is not in the container: the driver's libraries were not mounted "
        "into it",
        kToolkitFix);
    return false;
  }
  if (!nvml.library.missing_symbols.empty()) {
    add(report, Severity::kError,
        "libnvidia-ml.so.1 lacks " + nvml.library.missing_symbols.front() +
            ": the driver is too old for this probe",
        "install a current driver branch on the host (`deepdock plan` shows the minimum)");
    return false;
  }
  if (!nvml.init.failed()) {
    return true;
  }
  const std::string& name = nvml.init.name;
  if (name == "NVML_ERROR_LIB_RM_VERSION_MISMATCH") {
    add(report, Severity::kError,
        "Driver/library version mismatch: the driver's libraries are newer than the loaded "
        "kernel module (the driver was upgraded and the host not rebooted)",
        "reboot the host, or unload and reload the nvidia kernel modules");
  } else if (name == "NVML_ERROR_DRIVER_NOT_LOADED") {
    add(report, Severity::kError, "the NVIDIA kernel module is not loaded on the host",
        "on the host: `sudo modprobe nvidia`; when that fails, `deepdock doctor` says why "
        "(nouveau, Secure Boot, a kernel update without the driver's module)");
  } else if (name == "NVML_ERROR_NO_PERMISSION") {
    add(report, Severity::kError, "no permission to open the NVIDIA device nodes",
        "run the container with the NVIDIA runtime, which sets the nodes' permissions, or "
        "check the device cgroup rules");
  } else {
    add(report, Severity::kError, "NVML could not start: " + describe(nvml.init),
        "run `nvidia-smi` on the host; `deepdock doctor` checks the driver");
  }
  return false;
}

void diagnose_cuda_error(ProbeReport& report) {
  const CallError& error = report.cuda.error;
  const std::string& name = error.name;
  if (name == "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH") {
    add(report, Severity::kError,
        "the container's libcuda (a CUDA forward-compatibility package) does not match the "
        "host's kernel driver",
        "take the cuda-compat libraries out of the image's library path, or install the "
        "driver they match on the host");
  } else if (name == "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE") {
    add(report, Severity::kError,
        "the image relies on CUDA forward compatibility, which this GPU does not support "
        "(only data-center GPUs do)",
        "install a driver on the host that supports the image's CUDA natively, or choose a "
        "framework release built for an older CUDA");
  } else if (name == "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER") {
    add(report, Severity::kError, "the host's driver is too old for this CUDA",
        "install a newer driver branch on the host (`deepdock plan` shows the minimum)");
  } else if (name == "CUDA_ERROR_STUB_LIBRARY") {
    add(report, Severity::kError,
        "the libcuda.so.1 loaded is the CUDA toolkit's stub, not the driver's: the toolkit's "
        "stubs/ directory is on the library path",
        "take .../cuda/lib64/stubs out of LD_LIBRARY_PATH (and of /etc/ld.so.conf.d) in the "
        "image");
  } else if (name == "CUDA_ERROR_SYSTEM_NOT_READY") {
    add(report, Severity::kError,
        "CUDA reports the system not ready: on NVSwitch systems (HGX A100/H100) the fabric "
        "manager is not running",
        "on the host: `sudo systemctl enable --now nvidia-fabricmanager` (its version must "
        "match the driver's)");
  } else if (name == "CUDA_ERROR_NO_DEVICE") {
    add(report, Severity::kError,
        "CUDA sees no device although the device nodes are there: CUDA_VISIBLE_DEVICES may "
        "hide them",
        "unset CUDA_VISIBLE_DEVICES in the container; `nvidia-smi` on the host");
  } else if (name == "CUDA_ERROR_DEVICE_UNAVAILABLE") {
    add(report, Severity::kError,
        "the GPU is unavailable: it is in exclusive-process mode and another process holds it",
        "`nvidia-smi -q -d COMPUTE` on the host; `sudo nvidia-smi -c DEFAULT` to share it");
  } else if (name == "CUDA_ERROR_OUT_OF_MEMORY") {
    add(report, Severity::kError, "the GPU's memory is full: other processes hold it",
        "`nvidia-smi` on the host lists them");
  } else if (name == "CUDA_ERROR_INVALID_PTX" || name == "CUDA_ERROR_UNSUPPORTED_PTX_VERSION" ||
             name == "CUDA_ERROR_NO_BINARY_FOR_GPU" || name == "CUDA_ERROR_INVALID_IMAGE") {
    std::string what = "the driver could not compile the probe's kernel: " + describe(error);
    if (!report.cuda.kernel.jit_log.empty()) {
      what += "; the compiler said: " + report.cuda.kernel.jit_log;
    }
    add(report, Severity::kError, what,
        "the kernel needs a driver from CUDA 9 on; reinstall or upgrade the host's driver");
  } else if (name == "CUDA_ERROR_UNKNOWN" && error.call == "cuInit") {
    add(report, Severity::kError,
        "cuInit failed with CUDA_ERROR_UNKNOWN: most often nvidia-uvm is not loaded, or the "
        "GPU fell off the bus (after a suspend or an Xid error)",
        "on the host: `sudo nvidia-modprobe -u -c=0`, and `sudo dmesg | grep -i xid`");
  } else {
    add(report, Severity::kError, describe(error),
        "`nvidia-smi` and `deepdock doctor` on the host");
  }
}

void note_links(ProbeReport& report) {
  for (const GpuDetails& gpu : report.nvml.gpus) {
    if (gpu.pcie_max_width > 0 && gpu.pcie_width > 0 && gpu.pcie_width < gpu.pcie_max_width) {
      add(report, Severity::kWarning,
          "GPU " + std::to_string(gpu.index) + " runs its PCIe link at x" +
              std::to_string(gpu.pcie_width) + " of x" + std::to_string(gpu.pcie_max_width) +
              ": host-to-device copies are slower than they could be",
          "seat the card in a full-width slot, or check the BIOS's lane settings");
    }
  }
}

}  // namespace

void diagnose(ProbeReport& report, bool expect_gpu) {
  // Without device nodes nothing can reach a GPU, whatever libraries the image carries.
  if (report.nodes.gpus.empty() && !report.nodes.control) {
    report.verdict = Verdict::kNoGpu;
    if (expect_gpu) {
      add(report, Severity::kError,
          "the container has no NVIDIA GPU: no /dev/nvidia* device nodes were passed into it",
          "on a GPU host the engine must pass the GPUs in (`deepdock up` asks for them); "
          "`deepdock doctor` on the host says why it did not");
    } else {
      add(report, Severity::kInfo, "no NVIDIA GPU in this container", "");
    }
    return;
  }
  report.verdict = Verdict::kGpuBroken;
  if (!diagnose_nodes(report) || !diagnose_nvml(report)) {
    return;
  }
  note_links(report);
  const CudaReport& cuda = report.cuda;
  if (!cuda.library.loaded) {
    add(report, Severity::kError,
        "libcuda.so.1 is not in the container although NVML is: the runtime mounted the "
        "driver without its compute libraries",
        "allow the compute capability: NVIDIA_DRIVER_CAPABILITIES=compute,utility (an image "
        "or spec that sets it to `utility` alone leaves CUDA out)");
    return;
  }
  if (!cuda.library.missing_symbols.empty()) {
    add(report, Severity::kError,
        "libcuda.so.1 lacks " + cuda.library.missing_symbols.front() +
            ": the driver is too old for this probe",
        "install a current driver branch on the host");
    return;
  }
  if (cuda.error.failed()) {
    diagnose_cuda_error(report);
    return;
  }
  if (cuda.kernel.ran && !cuda.kernel.correct) {
    add(report, Severity::kError,
        "the GPU computed wrong results: " + std::to_string(cuda.kernel.mismatches) + " of " +
            std::to_string(cuda.kernel.elements) + " elements of a test kernel differ",
        "check `nvidia-smi -q -d ECC,PAGE_RETIREMENT` and `sudo dmesg | grep -i xid` on the "
        "host; reset (`sudo nvidia-smi -r`) or replace the GPU");
    return;
  }
  if (cuda.kernel.correct) {
    report.verdict = Verdict::kGpuReady;
  }
}

}  // namespace deepdock::probe
