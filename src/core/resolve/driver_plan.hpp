#pragma once
// What the NVIDIA driver must be for a CUDA build on a host, and which driver branch deepdock
// installs where it manages the driver. Internal to the resolver.

#include <optional>

#include "core/compat/knowledge_base.hpp"
#include "core/resolve/host_view.hpp"

namespace deepdock::core::resolve_detail {

struct DriverNeed {
  Version cuda;
  Version full;                       // the toolkit's driver: full compatibility
  std::optional<Version> compat;      // CUDA 11+: the family's minor-version minimum
  Version floor;                      // the oldest driver that drives every GPU of the host
  const DriverBranch* cap = nullptr;  // the last branch every GPU supports; nullptr = any
  Provenance provenance;              // of the CUDA driver facts
};

// What the host's GPUs alone need: the oldest driver that drives them, their last branch.
DriverNeed gpu_driver_need(const HostView& host, const KnowledgeBase& kb);

// nullopt when the knowledge base has no driver facts for the CUDA.
std::optional<DriverNeed> driver_need(const Version& cuda, const HostView& host,
                                      const KnowledgeBase& kb);

struct BranchChoice {
  const DriverBranch* branch = nullptr;  // nullptr: none fits
  bool minor_compat = false;             // runs the CUDA only through minor-version compat
};

// The branch to install: within the GPUs' last branch, not past its end of life at the
// knowledge base's snapshot (unless it is the GPUs' last branch), running the CUDA fully;
// long-term (LTSB) branches first, then the newest. Falls back to minor-version
// compatibility when `allow_minor_compat`.
BranchChoice choose_branch(const DriverNeed& need, bool allow_minor_compat,
                           const KnowledgeBase& kb);

}  // namespace deepdock::core::resolve_detail
