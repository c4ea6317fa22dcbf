#include "core/resolve/resolver.hpp"

#include <fmt/format.h>

#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/host_view.hpp"
#include "core/resolve/resolve_context.hpp"
#include "util/strings.hpp"

namespace deepdock::core {

namespace resolve_detail {

Outcome resolve_framework(Context& ctx) {
  switch (ctx.spec.framework) {
    case Framework::kTensorflow:
      return resolve_tensorflow(ctx);
    case Framework::kPytorch:
      return resolve_pytorch(ctx);
    case Framework::kJax:
      return resolve_jax(ctx);
    case Framework::kNone:
      break;
  }
  return resolve_no_framework(ctx);
}

namespace {

std::vector<std::string> rentable_accelerators(const KnowledgeBase& kb) {
  std::vector<std::string> out;
  for (const auto& accelerator : kb.gcp_accelerators()) {
    if (!accelerator.retired) {
      out.push_back(accelerator.type);
    }
  }
  return out;
}

Outcome missing_gpu(const Context& ctx, size_t wanted) {
  const std::string where = ctx.host.origin.empty() ? "" : fmt::format(" ({})", ctx.host.origin);
  std::string detail = ctx.host.gpu_count == 0
                           ? fmt::format("gpu required but none found{}", where)
                           : fmt::format("gpu: {} GPUs required but the host has {}{}", wanted,
                                         ctx.host.gpu_count, where);
  std::vector<Alternative> alternatives = {
      {"gpu: auto or gpu: none gives a CPU environment on this host", "", {}, {}}};
  Alternative cloud{"target: gcp creates a VM with a GPU", "", {}, rentable_accelerators(ctx.kb)};
  alternatives.push_back(std::move(cloud));
  return conflict(ctx, {{"gpu", std::move(detail), "", false}}, std::move(alternatives));
}

}  // namespace

}  // namespace resolve_detail

tl::expected<Resolution, Conflict> resolve(const Spec& spec, const HostFacts& host,
                                           const KnowledgeBase& kb) {
  using namespace resolve_detail;
  Context ctx{spec, kb, view_host(host, kb), false, {}};
  ctx.warnings = ctx.host.warnings;
  if (util::starts_with_icase(spec.base, "debootstrap:")) {
    return resolve_debootstrap(ctx);
  }
  switch (spec.gpu.mode) {
    case GpuMode::kNone:
      ctx.gpu = false;
      break;
    case GpuMode::kAuto:
      ctx.gpu = ctx.host.gpu_count > 0;
      if (!ctx.gpu) {
        ctx.warnings.push_back(
            fmt::format("no NVIDIA GPU found{}: this is a CPU-only environment",
                        host.origin.empty() ? "" : fmt::format(" ({})", host.origin)));
      }
      break;
    case GpuMode::kRequired:
    case GpuMode::kCount: {
      const size_t wanted =
          spec.gpu.mode == GpuMode::kCount ? static_cast<size_t>(std::max(spec.gpu.count, 1)) : 1;
      if (ctx.host.gpu_count < wanted) {
        return missing_gpu(ctx, wanted);
      }
      ctx.gpu = true;
      break;
    }
  }
  if (ctx.gpu && !ctx.host.problems.empty()) {
    return conflict(ctx, ctx.host.problems,
                    {{"gpu: none gives a CPU environment on this host", "", {}, {}}});
  }
  return resolve_framework(ctx);
}

}  // namespace deepdock::core
