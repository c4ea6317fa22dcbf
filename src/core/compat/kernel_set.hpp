#pragma once
// The GPU code a framework build carries: SASS for some architectures, PTX for others. Decides
// whether the build runs on a GPU, and how (compiled code, or PTX compiled by the driver).

#include <optional>
#include <string>
#include <vector>

#include "core/compat/compute_capability.hpp"
#include "core/compat/provenance.hpp"

namespace deepdock::core {

struct KernelSet {
  std::optional<std::vector<ComputeCapability>> sass;  // nullopt = not recorded
  std::optional<std::vector<ComputeCapability>> ptx;   // nullopt = not recorded
  std::optional<ComputeCapability> min_cc;             // the documented minimum
  Provenance provenance;
};

enum class KernelFit {
  kSass,         // compiled code for the GPU's architecture family
  kPtx,          // only PTX: the driver compiles it at first start (JIT)
  kMinimumOnly,  // the lists are not recorded; only the documented minimum capability is met
  kNone,         // nothing in the build runs on the GPU
};

KernelFit kernel_fit(const KernelSet& kernels, ComputeCapability gpu);

// "SASS sm_50, sm_60 and PTX compute_90"; "compute capability 3.5 or higher (list not
// recorded)".
std::string describe_kernels(const KernelSet& kernels);

}  // namespace deepdock::core
