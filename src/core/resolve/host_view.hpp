#pragma once
// The host as the resolver sees it: each distinct GPU with its compute capability and the
// knowledge base's facts about it (last driver branch, first CUDA that targets it), and the
// driver situation. Internal to the resolver.

#include <optional>
#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/model/resolution.hpp"

namespace deepdock::core::resolve_detail {

struct HostGpu {
  std::string name;  // the knowledge base's name when known, else as probed
  ComputeCapability cc;
  int count = 1;
  const GpuModel* model = nullptr;            // nullptr: not in the knowledge base
  const DriverBranch* last_branch = nullptr;  // nullptr: current drivers support it
  std::optional<Version> min_cuda;            // the first CUDA that targets it
  Provenance provenance;                      // of the cc / last-branch facts used
};

struct HostView {
  std::vector<HostGpu> gpus;
  size_t gpu_count = 0;  // all GPUs, counting duplicates
  std::optional<Version> driver;
  bool driver_managed = false;
  std::string origin;
  std::vector<Violation> problems;    // GPUs whose capability is unknown, a malformed driver
  std::vector<std::string> warnings;  // end of life
};

HostView view_host(const HostFacts& host, const KnowledgeBase& kb);

// A host with `count` of one GPU model and no driver, where deepdock installs the driver: what
// a Google Cloud VM with that accelerator would be.
HostView managed_host_with(const GpuModel& model, const KnowledgeBase& kb);

// "Tesla K80 (sm_37)"
std::string describe(const HostGpu& gpu);

}  // namespace deepdock::core::resolve_detail
