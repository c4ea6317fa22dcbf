#include "core/compat/kernel_set.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::core {

KernelFit kernel_fit(const KernelSet& kernels, ComputeCapability gpu) {
  const auto any = [gpu](const std::vector<ComputeCapability>& list, auto runs_on) {
    return std::any_of(list.begin(), list.end(),
                       [&](ComputeCapability kernel) { return runs_on(kernel, gpu); });
  };
  if (kernels.sass && any(*kernels.sass, sass_runs_on)) {
    return KernelFit::kSass;
  }
  if (kernels.ptx && any(*kernels.ptx, ptx_runs_on)) {
    return KernelFit::kPtx;
  }
  if (!kernels.sass && kernels.min_cc && gpu >= *kernels.min_cc) {
    return KernelFit::kMinimumOnly;
  }
  return KernelFit::kNone;
}

std::string describe_kernels(const KernelSet& kernels) {
  const auto names = [](const std::vector<ComputeCapability>& list, bool ptx) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (const auto& cc : list) {
      out.push_back(ptx ? cc.compute() : cc.sm());
    }
    return util::join(out, ", ");
  };
  if (!kernels.sass) {
    return kernels.min_cc ? fmt::format(
                                "code for compute capability {} and up (architecture list not "
                                "recorded)",
                                kernels.min_cc->to_string())
                          : std::string("no architecture list recorded");
  }
  std::string out = fmt::format("SASS {}", names(*kernels.sass, false));
  if (!kernels.ptx) {
    out += " (PTX not recorded)";
  } else if (kernels.ptx->empty()) {
    out += " and no PTX";
  } else {
    out += fmt::format(" and PTX {}", names(*kernels.ptx, true));
  }
  return out;
}

}  // namespace deepdock::core
