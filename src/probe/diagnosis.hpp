#pragma once
// Reads the probe's findings along the chain a GPU container depends on (device nodes, NVML,
// libcuda, a kernel) and says where it breaks and what fixes it. The first broken link is
// the cause; later links are not blamed for it.

#include "probe/probe_report.hpp"

namespace deepdock::probe {

// Sets report.verdict and appends report.problems. With expect_gpu, a container without any
// sign of a GPU is an error; without it, that is the expected state of a CPU environment.
void diagnose(ProbeReport& report, bool expect_gpu);

}  // namespace deepdock::probe
