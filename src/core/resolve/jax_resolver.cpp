// JAX: jax[cudaNN] from pip on a Python image; the extra brings CUDA's libraries, the host
// only needs the driver. The knowledge base's JAX facts are thin and marked unverified.

#include <fmt/format.h>

#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/gpu_fit.hpp"
#include "core/resolve/python_choice.hpp"

namespace deepdock::core::resolve_detail {

namespace {

std::string pinned(const std::string& package, const Spec& spec) {
  if (spec.version.empty() || spec.version == "latest") {
    return package;
  }
  return fmt::format("{}=={}", package, spec.version);
}

}  // namespace

Outcome resolve_jax(Context& ctx) {
  const KnowledgeBase& kb = ctx.kb;
  const std::optional<Version> asked = requested_python(ctx.spec);
  const Version python = asked ? asked->truncated(2) : kb.jax_python_default();
  const Provenance jax_facts =
      kb.jax_variants().empty() ? Provenance{} : kb.jax_variants().front().provenance;
  std::vector<Violation> violations;
  if (!ctx.spec.python.empty() && !asked) {
    violations.push_back(
        {"python", fmt::format("python '{}' is not a version", ctx.spec.python), "", false});
  } else if (python < kb.jax_python_min()) {
    violations.push_back(
        make_violation("python",
                       fmt::format("JAX needs Python {} or newer; the spec asks for {}",
                                   kb.jax_python_min().text(), python.text()),
                       jax_facts));
  }
  Resolution r;
  r.framework = Framework::kJax;
  r.framework_version = ctx.spec.version.empty() ? "unpinned" : ctx.spec.version;
  r.python = python.text();
  r.gpu = ctx.gpu;
  std::string package = "jax";
  if (ctx.gpu) {
    const JaxVariant* chosen = nullptr;
    GpuFit chosen_fit;
    std::vector<Violation> failures;
    for (const auto& variant : kb.jax_variants()) {
      const KernelSet kernels{std::nullopt, std::nullopt, variant.min_cc, variant.provenance};
      GpuFit fit = fit_gpus({fmt::format("JAX (jax[{}])", variant.extra), variant.cuda, &kernels},
                            ctx.host, kb);
      if (fit.ok()) {
        chosen = &variant;
        chosen_fit = std::move(fit);
        break;
      }
      failures.insert(failures.end(), fit.violations.begin(), fit.violations.end());
    }
    if (chosen == nullptr) {
      violations.insert(violations.end(), failures.begin(), failures.end());
    } else {
      package = fmt::format("jax[{}]", chosen->extra);
      r.cuda = chosen->cuda.text();
      r.min_driver = chosen_fit.min_driver;
      r.driver_branch = chosen_fit.driver_branch;
      r.reasons.push_back(make_reason("cuda", r.cuda,
                                      fmt::format("jax[{}] installs CUDA {} libraries from pip",
                                                  chosen->extra, chosen->cuda.major()),
                                      chosen->provenance));
      r.reasons.insert(r.reasons.end(), chosen_fit.reasons.begin(), chosen_fit.reasons.end());
      r.warnings = chosen_fit.warnings;
    }
  }
  if (!violations.empty()) {
    std::vector<Alternative> alternatives;
    if (ctx.gpu) {
      alternatives.push_back({"gpu: none gives a CPU-only JAX", "", {}, {}});
    }
    return conflict(ctx, std::move(violations), std::move(alternatives));
  }
  r.framework_package = pinned(package, ctx.spec);
  r.pip_packages = {r.framework_package};
  r.reasons.insert(r.reasons.begin(),
                   make_reason("framework", r.framework_version,
                               ctx.spec.version.empty()
                                   ? "the knowledge base records no JAX releases: pip picks the "
                                     "newest for this Python"
                                   : "the release the spec names",
                               jax_facts));
  r.reasons.push_back(make_reason("python", r.python,
                                  asked ? "as the spec asks" : "deepdock's default Python for JAX",
                                  jax_facts));
  if (ctx.spec.base == "auto") {
    r.base_image = python_base_image(python);
    r.reasons.push_back(
        make_reason("base_image", r.base_image, "a Python image; JAX from pip", jax_facts));
  } else {
    r.base_kind = BaseKind::kImageRef;
    r.base_image = ctx.spec.base;
    r.reasons.push_back(make_reason("base_image", r.base_image,
                                    "the spec's image; JAX is installed with pip on top",
                                    jax_facts));
  }
  r.reasons.push_back(make_reason("pip", r.framework_package,
                                  ctx.gpu ? "JAX with its CUDA plugin" : "JAX for the CPU",
                                  jax_facts));
  return finish(std::move(r), ctx);
}

}  // namespace deepdock::core::resolve_detail
