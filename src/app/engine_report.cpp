#include "app/engine_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace deepdock::app {

Result<EngineReport> describe_engine(core::ContainerEngine& engine) {
  EngineReport report;
  TRY_ASSIGN(report.engine, engine.info());
  const auto& info = report.engine;
  report.gpu.nvidia_runtime =
      std::find(info.runtimes.begin(), info.runtimes.end(), "nvidia") != info.runtimes.end();
  report.gpu.cdi = !info.cdi_spec_dirs.empty();
  if (!report.gpu.nvidia_runtime && !report.gpu.cdi) {
    report.gpu.notes.emplace_back(
        "the engine has neither the nvidia runtime nor CDI: containers cannot get GPUs; install "
        "the NVIDIA container toolkit, then run `sudo nvidia-ctk runtime configure "
        "--runtime=docker && sudo systemctl restart docker`");
  }
  if (info.is_podman && !report.gpu.cdi) {
    report.gpu.notes.emplace_back(
        "podman uses CDI for GPUs: run `sudo nvidia-ctk cdi generate "
        "--output=/etc/cdi/nvidia.yaml`");
  }
  return report;
}

}  // namespace deepdock::app
