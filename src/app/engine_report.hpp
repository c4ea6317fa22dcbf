#pragma once
// EngineReport: connect to the container engine and say what it can do for GPUs.

#include <string>
#include <vector>

#include "core/model/engine_info.hpp"
#include "core/ports/container_engine.hpp"

namespace deepdock::app {

struct GpuSupport {
  bool nvidia_runtime = false;     // "nvidia" in the engine's runtimes
  bool cdi = false;                // the engine reports CDI spec directories
  std::vector<std::string> notes;  // one sentence each, with the fix when something is missing
};

struct EngineReport {
  core::EngineInfo engine;
  GpuSupport gpu;
};

Result<EngineReport> describe_engine(core::ContainerEngine& engine);

}  // namespace deepdock::app
