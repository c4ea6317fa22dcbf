#include "core/resolve/driver_plan.hpp"

#include <algorithm>

namespace deepdock::core::resolve_detail {

DriverNeed gpu_driver_need(const HostView& host, const KnowledgeBase& kb) {
  DriverNeed need;
  need.cuda = version_of("0");
  need.full = version_of("0");
  need.floor = version_of("0");
  for (const auto& gpu : host.gpus) {
    if (gpu.min_cuda) {
      if (const CudaRelease* first = kb.cuda_release(*gpu.min_cuda)) {
        need.floor = std::max(need.floor, first->min_driver);
      }
    }
    if (gpu.last_branch != nullptr &&
        (need.cap == nullptr || gpu.last_branch->number < need.cap->number)) {
      need.cap = gpu.last_branch;
    }
  }
  return need;
}

std::optional<DriverNeed> driver_need(const Version& cuda, const HostView& host,
                                      const KnowledgeBase& kb) {
  const CudaRelease* release = kb.cuda_release(cuda);
  if (release == nullptr) {
    return std::nullopt;
  }
  DriverNeed need = gpu_driver_need(host, kb);
  need.cuda = cuda;
  need.full = release->min_driver;
  if (cuda.major() >= 11) {
    need.compat = release->minor_compat_min_driver;
  }
  need.provenance = release->provenance;
  return need;
}

BranchChoice choose_branch(const DriverNeed& need, bool allow_minor_compat,
                           const KnowledgeBase& kb) {
  std::vector<const DriverBranch*> usable;
  for (const auto& branch : kb.driver_branches()) {
    const bool within_cap = need.cap == nullptr || branch.number <= need.cap->number;
    const bool drives_gpus = branch.number >= need.floor.major();
    const bool maintained =
        branch.eol.empty() || branch.eol >= kb.snapshot() || &branch == need.cap;
    if (within_cap && drives_gpus && maintained) {
      usable.push_back(&branch);
    }
  }
  // Ascending by number: the last match of a pass is the newest.
  const DriverBranch* best_lts = nullptr;
  const DriverBranch* best_any = nullptr;
  for (const auto* branch : usable) {
    if (branch->max_cuda && *branch->max_cuda >= need.cuda) {
      best_any = branch;
      if (branch->kind == "LTSB") {
        best_lts = branch;
      }
    }
  }
  if (best_lts != nullptr || best_any != nullptr) {
    return {best_lts != nullptr ? best_lts : best_any, false};
  }
  if (allow_minor_compat && need.compat) {
    const DriverBranch* newest = nullptr;
    for (const auto* branch : usable) {
      if (branch->number >= need.compat->major()) {
        newest = branch;
      }
    }
    if (newest != nullptr) {
      return {newest, true};
    }
  }
  return {};
}

}  // namespace deepdock::core::resolve_detail
