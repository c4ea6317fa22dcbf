// base: debootstrap:<suite>: the framework from Debian's own packages (python3-torch), for
// hosts that reach an apt mirror but no image registry. Debian builds them without CUDA, so
// these environments are CPU only; TensorFlow and JAX are not in Debian at all.

#include <fmt/format.h>

#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/python_choice.hpp"

namespace deepdock::core::resolve_detail {

namespace {

constexpr std::string_view kPrefix = "debootstrap:";

std::string_view framework_name(Framework framework) {
  switch (framework) {
    case Framework::kTensorflow:
      return "TensorFlow";
    case Framework::kPytorch:
      return "PyTorch";
    case Framework::kJax:
      return "JAX";
    case Framework::kNone:
      break;
  }
  return "no framework";
}

// What the same spec resolves to with the official images instead.
std::vector<Alternative> with_official_base(const Context& ctx) {
  Spec spec = ctx.spec;
  spec.base = "auto";
  Context other{spec, ctx.kb, ctx.host, ctx.gpu, {}};
  if (spec.gpu.mode == GpuMode::kAuto) {
    other.gpu = !ctx.host.gpus.empty();
  }
  const Outcome outcome = resolve_framework(other);
  if (!outcome) {
    return {};
  }
  return {{fmt::format("base: auto uses {} ({} {}{})", outcome->base_image,
                       framework_name(spec.framework), outcome->framework_version,
                       outcome->gpu ? ", GPU" : ""),
           outcome->framework_version,
           {},
           {}}};
}

}  // namespace

Outcome resolve_debootstrap(Context& ctx) {
  const KnowledgeBase& kb = ctx.kb;
  const std::string suite_name = ctx.spec.base.substr(kPrefix.size());
  const DebianSuite* suite = kb.debian_suite(suite_name);
  const Provenance debian = suite != nullptr ? suite->provenance : kb.debian_provenance();
  const std::string package = kb.debian_package(to_string(ctx.spec.framework));
  const bool wants_gpu =
      ctx.spec.gpu.mode == GpuMode::kRequired || ctx.spec.gpu.mode == GpuMode::kCount;

  std::vector<Violation> violations;
  if (ctx.spec.framework != Framework::kNone && package.empty()) {
    violations.push_back(
        make_violation("base",
                       fmt::format("{} is not packaged in Debian, so {} cannot provide it",
                                   framework_name(ctx.spec.framework), ctx.spec.base),
                       debian));
  }
  if (wants_gpu && ctx.spec.framework != Framework::kNone) {
    violations.push_back(make_violation(
        "gpu",
        fmt::format("gpu is required, but Debian's {} is built without CUDA: {} environments are "
                    "CPU only",
                    package.empty() ? "packages are" : package, ctx.spec.base),
        debian));
  }
  const std::optional<Version> asked = requested_python(ctx.spec);
  if (suite != nullptr && asked && asked->truncated(2) != suite->python.truncated(2)) {
    violations.push_back(
        make_violation("python",
                       fmt::format("Debian {} has Python {}; the spec asks for {}", suite->name,
                                   suite->python.text(), ctx.spec.python),
                       debian));
  }
  const auto wanted = Version::parse(ctx.spec.version);
  if (suite != nullptr && !package.empty() && wanted && !suite->torch.empty() &&
      !version_of(suite->torch).has_prefix(*wanted)) {
    violations.push_back(
        make_violation("version",
                       fmt::format("Debian {} has {} {}; the spec asks for {}", suite->name,
                                   package, suite->torch, ctx.spec.version),
                       debian));
  }
  if (!violations.empty()) {
    std::vector<Alternative> alternatives = with_official_base(ctx);
    if (package.empty() && ctx.spec.framework != Framework::kNone) {
      alternatives.push_back({fmt::format("framework: pytorch with {} installs Debian's "
                                          "python3-torch (CPU only)",
                                          ctx.spec.base),
                              "debian",
                              {},
                              {}});
    }
    return conflict(ctx, std::move(violations), std::move(alternatives));
  }

  Resolution r;
  r.framework = ctx.spec.framework;
  r.framework_version = ctx.spec.framework == Framework::kNone ? "" : "debian";
  r.gpu = false;
  r.base_kind = BaseKind::kDebootstrap;
  r.base_image = ctx.spec.base;
  r.python = suite != nullptr ? suite->python.text() : "";
  if (!package.empty()) {
    r.apt_packages = {package};
    r.framework_package = package;
    r.reasons.push_back(
        make_reason("framework", "debian",
                    suite != nullptr && !suite->torch.empty()
                        ? fmt::format("Debian {}'s {} ({})", suite->name, package, suite->torch)
                        : fmt::format("Debian's {}", package),
                    debian));
    r.reasons.push_back(make_reason("apt", package, "installed from the Debian mirror", debian));
  }
  r.reasons.push_back(make_reason(
      "base_image", r.base_image,
      fmt::format("a root file system built with debootstrap from Debian {}", suite_name), debian));
  if (suite != nullptr) {
    r.reasons.push_back(
        make_reason("python", r.python, fmt::format("Debian {}'s python3", suite->name), debian));
  } else {
    r.warnings.push_back(fmt::format(
        "Debian suite '{}' is not in the knowledge base: its Python and packages are not checked",
        suite_name));
  }
  if (!ctx.host.gpus.empty() && ctx.spec.gpu.mode != GpuMode::kNone &&
      ctx.spec.framework != Framework::kNone) {
    r.warnings.push_back(fmt::format(
        "the host's GPU is not used: Debian's packages are built without CUDA ({} is CPU only)",
        ctx.spec.base));
  }
  return finish(std::move(r), ctx);
}

}  // namespace deepdock::core::resolve_detail
