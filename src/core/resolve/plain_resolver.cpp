// framework: none: Python and Jupyter on a Python image (or the spec's image), with the GPU
// passed through where there is one; no CUDA is chosen.

#include <fmt/format.h>

#include "core/resolve/driver_plan.hpp"
#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/python_choice.hpp"

namespace deepdock::core::resolve_detail {

Outcome resolve_no_framework(Context& ctx) {
  const KnowledgeBase& kb = ctx.kb;
  const std::optional<Version> asked = requested_python(ctx.spec);
  if (!ctx.spec.python.empty() && !asked) {
    return conflict(
        ctx, {{"python", fmt::format("python '{}' is not a version", ctx.spec.python), "", false}},
        {});
  }
  Resolution r;
  r.framework = Framework::kNone;
  r.python = asked ? asked->truncated(2).text() : kb.default_python().text();
  r.gpu = ctx.gpu;
  const Provenance defaults{{"deepdock"}, false, {}};
  r.reasons.push_back(make_reason(
      "python", r.python, asked ? "as the spec asks" : "deepdock's default Python", defaults));
  if (ctx.spec.base == "auto") {
    r.base_image = python_base_image(version_of(r.python));
    r.reasons.push_back(
        make_reason("base_image", r.base_image, "a Python image: no framework asked", defaults));
  } else {
    r.base_kind = BaseKind::kImageRef;
    r.base_image = ctx.spec.base;
    r.reasons.push_back(make_reason("base_image", r.base_image, "the spec's image", defaults));
  }
  if (ctx.gpu && !ctx.host.driver) {
    const DriverNeed need = gpu_driver_need(ctx.host, kb);
    const BranchChoice choice = choose_branch(need, false, kb);
    if (!ctx.host.driver_managed || choice.branch == nullptr) {
      return conflict(
          ctx, {{"driver", "no NVIDIA driver is installed, so the GPU cannot be used", "", false}},
          {{"gpu: none gives a CPU environment", "", {}, {}}});
    }
    r.driver_branch = choice.branch->name;
    r.reasons.push_back(make_reason("driver", r.driver_branch,
                                    "the newest long-term branch that drives these GPUs",
                                    choice.branch->provenance));
  }
  return finish(std::move(r), ctx);
}

}  // namespace deepdock::core::resolve_detail
