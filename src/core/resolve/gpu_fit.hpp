#pragma once
// Whether one framework build (its CUDA and the GPU code it carries) runs on a host's GPUs
// with the host's driver, or with the driver deepdock would install. Every violated
// constraint is reported, not just the first. Internal to the resolver.

#include <optional>
#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/resolution.hpp"
#include "core/resolve/host_view.hpp"

namespace deepdock::core::resolve_detail {

struct Candidate {
  std::string label;  // "TensorFlow 2.15.0", "PyTorch 2.1 (cu121)"
  Version cuda;
  const KernelSet* kernels = nullptr;
};

struct GpuFit {
  std::vector<Violation> violations;
  std::vector<std::string> warnings;
  std::vector<Reason> reasons;  // compute capability, driver
  std::string min_driver;       // the oldest driver that runs the build on this host
  std::string driver_branch;    // what deepdock installs; empty when the installed one stays
  bool ptx_jit = false;         // some GPU runs only PTX compiled by the driver
  bool minor_compat = false;    // the driver runs the CUDA through minor-version compatibility
  // A driver branch that would fix the driver violations (a driver update), if any.
  std::string upgrade_branch;
  // Every violation is about the installed (or missing) driver and upgrade_branch fixes it.
  bool driver_only = false;

  [[nodiscard]] bool ok() const { return violations.empty(); }
};

GpuFit fit_gpus(const Candidate& candidate, const HostView& host, const KnowledgeBase& kb);

}  // namespace deepdock::core::resolve_detail
