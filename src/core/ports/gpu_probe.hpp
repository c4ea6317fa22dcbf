#pragma once
// GpuProbe: reads the facts the resolver needs about the machine that runs the environment
// (its NVIDIA GPUs, the installed driver, the OS). The local adapter reads sysfs, procfs and
// nvidia-smi below a root directory, so fixture trees drive it in tests.

#include "core/model/host_facts.hpp"
#include "util/error.hpp"

namespace deepdock::core {

class GpuProbe {
 public:
  virtual ~GpuProbe() = default;
  virtual Result<HostFacts> probe() = 0;
};

}  // namespace deepdock::core
