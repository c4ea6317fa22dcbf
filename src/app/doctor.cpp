#include "app/doctor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/plan_environment.hpp"
#include "core/compat/version.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using core::HostDiagnosisFacts;

constexpr std::string_view kBlacklistNouveau =
    "printf 'blacklist nouveau\\noptions nouveau modeset=0\\n' | sudo tee "
    "/etc/modprobe.d/blacklist-nouveau.conf && sudo update-initramfs -u && sudo reboot";
constexpr std::string_view kConfigureRuntime =
    "sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker";
constexpr std::string_view kGenerateCdi =
    "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml";
constexpr std::string_view kInstallToolkit = "sudo apt-get install -y nvidia-container-toolkit";
constexpr std::string_view kDevCharSymlinks =
    "sudo nvidia-ctk system create-dev-char-symlinks --create-all";

Finding make(std::string id, Severity severity, std::string title, std::string detail,
             std::string fix = {}) {
  return {std::move(id), severity, std::move(title), std::move(detail), std::move(fix)};
}

bool has_gpu(const HostDiagnosisFacts& host) {
  return !host.gpu.gpus.empty();
}

std::string gpu_names(const HostDiagnosisFacts& host) {
  std::vector<std::string> names;
  names.reserve(host.gpu.gpus.size());
  for (const auto& gpu : host.gpu.gpus) {
    names.push_back(gpu.name);
  }
  return util::join(names, ", ");
}

// "R535" -> the distribution's driver package, for the install command.
std::string driver_install_command(const HostDiagnosisFacts& host, std::string_view branch) {
  const std::string number = branch.size() > 1 && branch.front() == 'R'
                                 ? std::string(branch.substr(1))
                                 : std::string(branch);
  if (host.gpu.os_id == "ubuntu") {
    return number.empty() ? "sudo ubuntu-drivers install"
                          : fmt::format("sudo apt-get install -y nvidia-driver-{}", number);
  }
  return "sudo apt-get install -y nvidia-driver firmware-misc-nonfree && sudo reboot";
}

void check_pci(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!has_gpu(host)) {
    out.push_back(make("gpu.pci", Severity::kInfo, "no NVIDIA GPU on PCI",
                       "no display device of vendor 0x10de: environments here run on the CPU"));
    return;
  }
  out.push_back(make("gpu.pci", Severity::kOk,
                     fmt::format("{} NVIDIA GPU(s) on PCI", host.gpu.gpus.size()),
                     gpu_names(host)));
}

void check_nouveau(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (host.modules.nouveau) {
    out.push_back(make("driver.nouveau", Severity::kError, "the nouveau driver is loaded",
                       "nouveau holds the GPU, so the NVIDIA kernel module cannot bind to it",
                       std::string(kBlacklistNouveau)));
  }
}

void check_module(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!has_gpu(host)) {
    return;
  }
  if (host.gpu.driver_version) {
    out.push_back(make("driver.module", Severity::kOk,
                       fmt::format("NVIDIA kernel module {} loaded", *host.gpu.driver_version),
                       "/proc/driver/nvidia/version"));
    return;
  }
  const std::string detail =
      host.library_versions.empty()
          ? "no /proc/driver/nvidia/version and no libnvidia-ml: no NVIDIA driver is installed"
          : fmt::format("libnvidia-ml {} is installed but its kernel module is not loaded",
                        util::join(host.library_versions, ", "));
  out.push_back(make("driver.module", Severity::kError, "no NVIDIA kernel module loaded", detail,
                     host.library_versions.empty() ? driver_install_command(host, "")
                                                   : "sudo modprobe nvidia || sudo reboot"));
}

void check_versions(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!host.gpu.driver_version) {
    return;
  }
  const std::string& module = *host.gpu.driver_version;
  const bool smi_says = host.nvidia_smi_failure.find("version mismatch") != std::string::npos;
  const bool libraries_match = std::find(host.library_versions.begin(), host.library_versions.end(),
                                         module) != host.library_versions.end();
  if (smi_says || (!host.library_versions.empty() && !libraries_match)) {
    out.push_back(make(
        "driver.version-mismatch", Severity::kError, "Driver/library version mismatch",
        fmt::format("the kernel module is {}, the user-space library is {}: NVML and CUDA fail "
                    "to initialize (an upgrade replaced the libraries without a reboot)",
                    module,
                    host.library_versions.empty() ? std::string("of another version")
                                                  : util::join(host.library_versions, ", ")),
        "sudo reboot  # or, with no process using the GPU: sudo rmmod nvidia_uvm nvidia_drm "
        "nvidia_modeset nvidia && sudo modprobe nvidia"));
    return;
  }
  if (host.library_versions.empty()) {
    out.push_back(make("driver.version-mismatch", Severity::kWarning,
                       "no libnvidia-ml next to the kernel module",
                       fmt::format("kernel module {} loaded, but no libnvidia-ml.so.{} in the "
                                   "library directories: nvidia-smi and NVML cannot run",
                                   module, module),
                       driver_install_command(host, module.substr(0, module.find('.')))));
    return;
  }
  out.push_back(make("driver.version-mismatch", Severity::kOk, "kernel module and libraries agree",
                     fmt::format("both are {}", module)));
}

void check_devices(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!host.gpu.driver_version) {
    return;
  }
  std::vector<std::string> missing;
  if (host.devices.gpus.empty()) {
    missing.emplace_back("/dev/nvidia0");
  }
  if (!host.devices.nvidiactl) {
    missing.emplace_back("/dev/nvidiactl");
  }
  if (!missing.empty()) {
    out.push_back(make("driver.device-nodes", Severity::kError, "NVIDIA device nodes missing",
                       fmt::format("missing: {}", util::join(missing, ", ")),
                       "sudo nvidia-modprobe -c=0 && sudo nvidia-smi"));
  } else if (!host.devices.nvidia_uvm) {
    out.push_back(make("driver.device-nodes", Severity::kError, "/dev/nvidia-uvm missing",
                       "CUDA needs the nvidia-uvm module and its device node",
                       "sudo modprobe nvidia-uvm && sudo nvidia-modprobe -u -c=0"));
  } else {
    out.push_back(
        make("driver.device-nodes", Severity::kOk, "NVIDIA device nodes present",
             fmt::format("{}, nvidiactl, nvidia-uvm", util::join(host.devices.gpus, ", "))));
  }
}

void check_secure_boot(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!host.secure_boot) {
    return;
  }
  if (!*host.secure_boot) {
    out.push_back(make("host.secure-boot", Severity::kOk, "Secure Boot is off",
                       "any kernel module may load"));
  } else if (has_gpu(host) && !host.modules.nvidia) {
    out.push_back(make(
        "host.secure-boot", Severity::kWarning, "Secure Boot is on and no NVIDIA module is loaded",
        "an unsigned nvidia module is rejected (`Key was rejected by service`): install signed "
        "driver packages or enroll the DKMS signing key, then reboot",
        "sudo mokutil --import /var/lib/shim-signed/mok/MOK.der && sudo reboot"));
  } else {
    out.push_back(make("host.secure-boot", Severity::kInfo, "Secure Boot is on",
                       "driver modules must be signed by a key the firmware trusts; a driver "
                       "built by DKMS after a kernel update needs its key enrolled"));
  }
}

void check_engine(const DoctorInput& input, std::vector<Finding>& out) {
  if (input.engine) {
    out.push_back(make("engine.reachable", Severity::kOk, "container engine reachable",
                       fmt::format("{} {} at {}", input.engine->is_podman ? "podman" : "docker",
                                   input.engine->version, input.engine->endpoint)));
    return;
  }
  const Error& error = input.engine.error();
  if (error.code == ErrorCode::kPermissionDenied) {
    out.push_back(make("engine.reachable", Severity::kError,
                       "permission denied on the container engine's socket", error.message,
                       "sudo usermod -aG docker $USER && newgrp docker"));
    return;
  }
  out.push_back(make("engine.reachable", Severity::kError, "container engine not reachable",
                     error.message,
                     error.hint.empty() ? "sudo systemctl start docker" : error.hint));
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void check_toolkit(const DoctorInput& input, std::vector<Finding>& out) {
  const auto& host = input.host;
  const auto& toolkit = host.toolkit;
  // Without a GPU, missing GPU support is worth knowing, not fixing.
  const Severity missing = has_gpu(host) ? Severity::kError : Severity::kInfo;
  const bool hook = contains(toolkit.binaries, "nvidia-container-runtime-hook");
  if (toolkit.binaries.empty()) {
    out.push_back(make("toolkit.binaries", missing, "NVIDIA container toolkit not installed",
                       "no nvidia-ctk, nvidia-container-runtime-hook or nvidia-container-cli on "
                       "PATH: `--gpus` fails with `could not select device driver`",
                       std::string(kInstallToolkit)));
  } else {
    out.push_back(make("toolkit.binaries", Severity::kOk, "NVIDIA container toolkit installed",
                       util::join(toolkit.binaries, ", ")));
  }
  if (!toolkit.daemon_json_error.empty()) {
    out.push_back(make("engine.daemon-json", Severity::kError,
                       fmt::format("{} is not valid JSON", toolkit.daemon_json),
                       toolkit.daemon_json_error, std::string(kConfigureRuntime)));
  }
  const bool engine_runtime = input.engine && contains(input.engine->runtimes, "nvidia");
  const bool engine_cdi = input.engine && !input.engine->cdi_spec_dirs.empty();
  const bool cdi = !toolkit.cdi_specs.empty();
  if (!input.engine) {
    const bool declared = toolkit.daemon_json_nvidia || hook;
    out.push_back(make("engine.gpu-runtime", declared ? Severity::kInfo : missing,
                       declared ? "the engine's GPU support is configured but unconfirmed"
                                : "no NVIDIA runtime configured for the engine",
                       declared ? "the engine could not be asked; its configuration names the "
                                  "nvidia runtime or the toolkit's hook is installed"
                                : "the engine could not be asked, and no daemon.json declares "
                                  "the nvidia runtime",
                       declared ? std::string() : std::string(kConfigureRuntime)));
  } else if (engine_runtime || (hook && !input.engine->is_podman)) {
    out.push_back(make("engine.gpu-runtime", Severity::kOk,
                       "the engine can hand GPUs to containers",
                       engine_runtime ? "the engine lists the nvidia runtime"
                                      : "nvidia-container-runtime-hook serves `--gpus`"));
  } else if (toolkit.daemon_json_nvidia) {
    out.push_back(make("engine.gpu-runtime", missing,
                       "the engine has not loaded the nvidia runtime",
                       fmt::format("{} declares it, but the running engine does not list it: it "
                                   "was not restarted since",
                                   toolkit.daemon_json),
                       "sudo systemctl restart docker"));
  } else if (!(engine_cdi && cdi)) {
    out.push_back(make("engine.gpu-runtime", missing, "the engine has no NVIDIA runtime",
                       "neither the nvidia runtime nor CDI: `--gpus` fails with `could not "
                       "select device driver`",
                       std::string(kConfigureRuntime)));
  }
  if (cdi) {
    out.push_back(make("toolkit.cdi", Severity::kOk, "CDI spec for nvidia.com/gpu present",
                       util::join(toolkit.cdi_specs, ", ")));
  } else if (has_gpu(host) && !toolkit.binaries.empty()) {
    const bool podman = input.engine && input.engine->is_podman;
    out.push_back(make("toolkit.cdi", podman ? Severity::kError : Severity::kInfo,
                       "no CDI spec for nvidia.com/gpu",
                       podman ? "podman hands GPUs to containers through CDI only"
                              : "none in /etc/cdi or /var/run/cdi: `--device nvidia.com/gpu=all` "
                                "and podman need one",
                       std::string(kGenerateCdi)));
  }
}

void check_cgroup(const DoctorInput& input, std::vector<Finding>& out) {
  if (!input.engine || input.engine->cgroup_driver.empty()) {
    return;
  }
  if (input.engine->cgroup_driver != "systemd") {
    out.push_back(make("engine.cgroup-driver", Severity::kOk,
                       fmt::format("cgroup driver {}", input.engine->cgroup_driver),
                       "running containers keep their GPUs across `systemctl daemon-reload`"));
    return;
  }
  out.push_back(make(
      "engine.cgroup-driver", has_gpu(input.host) ? Severity::kWarning : Severity::kInfo,
      "systemd cgroup driver: containers can lose their GPUs",
      "after `systemctl daemon-reload`, running GPU containers fail with `Failed to initialize "
      "NVML: Unknown Error` (NVIDIA/nvidia-container-toolkit#48) unless /dev/char links the "
      "NVIDIA devices; or set \"exec-opts\": [\"native.cgroupdriver=cgroupfs\"] in "
      "/etc/docker/daemon.json",
      std::string(kDevCharSymlinks)));
}

void check_disk(const HostDiagnosisFacts& host, std::vector<Finding>& out) {
  if (!host.images_disk.free_bytes) {
    out.push_back(make("disk.images", Severity::kInfo, "free space for images unknown",
                       fmt::format("{} could not be measured", host.images_disk.path)));
    return;
  }
  const uint64_t free = *host.images_disk.free_bytes;
  const std::string detail =
      fmt::format("{} free on the disk of {}", util::human_bytes(static_cast<double>(free)),
                  host.images_disk.path);
  const std::string fix = "docker system prune  # or move the engine's data-root to a larger disk";
  if (free < kDiskErrorBytes) {
    out.push_back(make("disk.images", Severity::kError, "too little disk for GPU images (< 10 GiB)",
                       detail, fix));
  } else if (free < kDiskWarnBytes) {
    out.push_back(make("disk.images", Severity::kWarning, "little disk for GPU images (< 30 GiB)",
                       detail, fix));
  } else {
    out.push_back(make("disk.images", Severity::kOk, "enough disk for images", detail));
  }
}

void check_spec(const DoctorInput& input, const core::KnowledgeBase& kb,
                std::vector<Finding>& out) {
  if (!input.spec) {
    out.push_back(make("spec.driver", Severity::kError, "the spec could not be loaded",
                       input.spec.error().message, input.spec.error().hint));
    return;
  }
  const auto& host = input.host;
  const PlanRequest request{input.spec->spec, host.gpu, input.spec->requirements_text, ""};
  const EnvironmentPlan plan = plan_environment(request, kb);
  if (plan.conflict) {
    for (const auto& violation : plan.conflict->violations) {
      out.push_back(make(
          "spec.conflict", Severity::kError,
          fmt::format("{}: {} does not fit this host", input.spec->origin, violation.constraint),
          violation.detail,
          plan.conflict->alternatives.empty() ? std::string()
                                              : plan.conflict->alternatives.front().summary));
    }
    return;
  }
  const core::Resolution& resolution = *plan.resolution;
  if (!resolution.gpu || resolution.min_driver.empty()) {
    out.push_back(make("spec.driver", Severity::kInfo,
                       fmt::format("{} runs on the CPU", input.spec->origin),
                       "it needs no NVIDIA driver"));
    return;
  }
  const auto needed = core::Version::parse(resolution.min_driver);
  const auto installed =
      host.gpu.driver_version ? core::Version::parse(*host.gpu.driver_version) : std::nullopt;
  // The branch deepdock would install; the resolver names one only where it manages the driver.
  const std::string branch = resolution.driver_branch.empty()
                                 ? resolution.min_driver.substr(0, resolution.min_driver.find('.'))
                                 : resolution.driver_branch;
  const std::string needs = fmt::format("CUDA {} needs driver {} or newer (branch {})",
                                        resolution.cuda, resolution.min_driver, branch);
  if (!installed || !needed || *installed < *needed) {
    out.push_back(
        make("spec.driver", Severity::kError,
             fmt::format("the driver is too old for {}", input.spec->origin),
             fmt::format("{}; installed: {}", needs, host.gpu.driver_version.value_or("none")),
             driver_install_command(host, branch)));
    return;
  }
  out.push_back(make("spec.driver", Severity::kOk,
                     fmt::format("driver {} runs {}", *host.gpu.driver_version, input.spec->origin),
                     needs));
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kOk:
      return "ok";
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

std::vector<Finding> diagnose_host(const DoctorInput& input, const core::KnowledgeBase& kb) {
  std::vector<Finding> out;
  const auto& host = input.host;
  check_pci(host, out);
  check_nouveau(host, out);
  check_module(host, out);
  check_versions(host, out);
  check_devices(host, out);
  check_secure_boot(host, out);
  check_engine(input, out);
  check_toolkit(input, out);
  check_cgroup(input, out);
  check_disk(host, out);
  check_spec(input, kb, out);
  return out;
}

std::vector<Finding> run_doctor(core::HostInspector& inspector, Result<core::EngineInfo> engine,
                                Result<SpecUnderTest> spec, const core::KnowledgeBase& kb) {
  const std::string images_dir = engine ? engine->docker_root_dir : "";
  DoctorInput input{inspector.inspect(images_dir), std::move(engine), std::move(spec)};
  return diagnose_host(input, kb);
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

}  // namespace deepdock::app
