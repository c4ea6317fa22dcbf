#pragma once
// The real test of a GPU: through the CUDA driver API, create a context on the first device,
// JIT-compile and run a small kernel and check every element of its result, then time
// device-to-device and host-to-device copies.

#include <cstdint>

#include "probe/cuda_api.hpp"
#include "probe/probe_report.hpp"

namespace deepdock::probe {

struct CudaOptions {
  unsigned kernel_elements = 1U << 20;      // floats in each of the kernel's two vectors
  uint64_t bandwidth_bytes = 256ULL << 20;  // one copy; halved while the GPU lacks room
  int repetitions = 20;                     // timed copies of each kind
  bool measure_bandwidth = true;
};

// Runs the checks on device 0. Calls nothing when `library` is not usable. The first call
// that fails is recorded in report.error (with the JIT's log in report.kernel.jit_log when
// the kernel did not compile) and the steps after it are skipped; everything allocated is
// freed and the context destroyed on every path.
CudaReport run_cuda_checks(const CudaApi& api, const LibraryStatus& library,
                           const CudaOptions& options = {});

}  // namespace deepdock::probe
