#pragma once
// The nearest combinations that work when the requested one does not: the newest release of
// the framework that runs on this host, a driver update when the driver is the only problem,
// the current GPUs (with their Google Cloud accelerator types) that run the requested
// release, and a CPU build. Internal to the resolver.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model/resolution.hpp"
#include "core/resolve/gpu_fit.hpp"
#include "core/resolve/resolve_context.hpp"

namespace deepdock::core::resolve_detail {

// The violations of one release on a host, for a GPU or a CPU environment.
using Evaluate =
    std::function<std::vector<Violation>(const HostView& host, bool gpu, const Version& version)>;

struct AlternativeQuery {
  std::string framework;             // "TensorFlow"
  std::vector<Version> versions;     // every known release, newest first
  std::optional<Version> requested;  // the release that failed; nullopt for an unknown one
  std::vector<Violation> violations;
  GpuFit fit;  // of the requested release on this host (GPU environments)
  Evaluate evaluate;
};

std::vector<Alternative> find_alternatives(const Context& ctx, const AlternativeQuery& query);

}  // namespace deepdock::core::resolve_detail
