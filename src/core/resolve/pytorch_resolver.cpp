// PyTorch: the release, the CUDA variant of its wheels that the host's GPUs and driver run
// (the wheel index for it), on a Python image with pip.

#include <fmt/format.h>

#include <algorithm>

#include "core/resolve/alternatives.hpp"
#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/gpu_fit.hpp"
#include "core/resolve/python_choice.hpp"
#include "core/resolve/version_request.hpp"
#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

namespace {

struct TorchEvaluation {
  std::vector<Violation> violations;
  const TorchVariant* variant = nullptr;
  GpuFit fit;
};

std::string label(const TorchBuild& build) {
  return "PyTorch " + build.version.text();
}

std::string wheel_tag(const Version& cuda) {
  return fmt::format("cu{}{}", cuda.major(), cuda.minor());
}

PythonRange python_range(const TorchBuild& build) {
  return {build.python_min, build.python_max, build.python27};
}

TorchEvaluation evaluate(const Context& ctx, const HostView& host, bool gpu,
                         const TorchBuild& build) {
  TorchEvaluation out;
  if (auto python = check_python(ctx.spec, label(build), python_range(build), build.provenance)) {
    out.violations.push_back(std::move(*python));
  }
  if (!gpu) {
    return out;
  }
  // Full driver support first, then the newest CUDA.
  std::vector<Violation> failures;
  for (auto it = build.variants.rbegin(); it != build.variants.rend(); ++it) {
    const std::string name = fmt::format("{} ({})", label(build), wheel_tag(it->cuda));
    GpuFit fit = fit_gpus({name, it->cuda, &it->kernels}, host, ctx.kb);
    if (!fit.ok()) {
      failures.insert(failures.end(), fit.violations.begin(), fit.violations.end());
      if (out.variant == nullptr && fit.driver_only) {
        out.fit = fit;  // the oldest CUDA a driver update would fix, for the alternatives
      }
      continue;
    }
    if (out.variant == nullptr || (out.fit.minor_compat && !fit.minor_compat)) {
      out.variant = &*it;
      out.fit = std::move(fit);
    }
  }
  if (out.variant == nullptr) {
    out.violations.insert(out.violations.end(), failures.begin(), failures.end());
  }
  return out;
}

std::vector<const TorchBuild*> candidates_for(const KnowledgeBase& kb,
                                              const VersionRequest& request) {
  const Version prefix = request.kind == VersionRequest::Kind::kPrefix ? request.prefix : Version{};
  std::vector<const TorchBuild*> matches = kb.torch_builds_matching(prefix);
  // Release candidates only when the spec names one: "2.14", not "2" or nothing.
  std::vector<const TorchBuild*> out;
  for (const auto* build : matches) {
    if (!build->release_candidate) {
      out.push_back(build);
    }
  }
  if (out.empty() && request.kind == VersionRequest::Kind::kPrefix) {
    return matches;
  }
  if (request.kind == VersionRequest::Kind::kLatest && !out.empty()) {
    out.resize(1);
  }
  return out;
}

void add_cuda_reasons(const Context& ctx, const TorchBuild& build, const TorchEvaluation& eval,
                      Resolution& r) {
  const TorchVariant& v = *eval.variant;
  std::vector<std::string> all;
  for (const auto& variant : build.variants) {
    all.push_back(wheel_tag(variant.cuda));
  }
  Provenance variant_provenance = build.provenance;
  variant_provenance.unverified = build.provenance.unverified || v.unverified;
  r.cuda = v.cuda.text();
  r.cudnn = v.cudnn;
  r.min_driver = eval.fit.min_driver;
  r.driver_branch = eval.fit.driver_branch;
  r.pip_index_url = ctx.kb.torch_index_url(v.cuda);
  r.reasons.push_back(
      make_reason("cuda", r.cuda,
                  fmt::format("{} publishes {} wheels; {} runs on this host's GPUs{}", label(build),
                              util::join(all, ", "), wheel_tag(v.cuda),
                              eval.fit.minor_compat ? " (through minor-version compatibility)"
                                                    : " with full driver support"),
                  variant_provenance));
  if (!r.cudnn.empty()) {
    r.reasons.push_back(make_reason("cudnn", r.cudnn,
                                    fmt::format("bundled with the {} wheels", wheel_tag(v.cuda)),
                                    build.provenance));
  }
  r.reasons.insert(r.reasons.end(), eval.fit.reasons.begin(), eval.fit.reasons.end());
  r.warnings.insert(r.warnings.end(), eval.fit.warnings.begin(), eval.fit.warnings.end());
  Provenance index = ctx.kb.torch_index_provenance();
  // Releases up to 1.10 were published through -f .../torch_stable.html; their per-CUDA index
  // is not confirmed.
  index.unverified = build.version <= version_of("1.10");
  r.reasons.push_back(make_reason("pip_index", r.pip_index_url,
                                  fmt::format("the PyTorch wheel index for {}", wheel_tag(v.cuda)),
                                  index));
}

Resolution make_resolution(const Context& ctx, const TorchBuild& build,
                           const TorchEvaluation& eval) {
  Resolution r;
  r.framework = Framework::kPytorch;
  r.framework_version = build.version.text();
  r.gpu = ctx.gpu;
  const std::optional<Version> asked = requested_python(ctx.spec);
  r.python = asked ? asked->truncated(2).text() : build.python_default.text();
  r.framework_package = fmt::format("torch=={}.*", build.version.text());
  r.pip_packages = {r.framework_package};
  r.reasons.push_back(
      make_reason("framework", r.framework_version,
                  fmt::format("{}; pip installs its newest {}.x",
                              ctx.spec.version.empty() ? "the newest release that runs on this host"
                                                       : "the release the spec asks for",
                              build.version.text()),
                  build.provenance));
  r.reasons.push_back(make_reason("python", r.python,
                                  asked
                                      ? fmt::format("as the spec asks ({} supports {})",
                                                    label(build), describe(python_range(build)))
                                      : fmt::format("the newest Python {} supports", label(build)),
                                  build.provenance));
  if (ctx.spec.base == "auto") {
    r.base_kind = BaseKind::kOfficialImage;
    r.base_image = python_base_image(version_of(r.python));
    r.reasons.push_back(make_reason(
        "base_image", r.base_image,
        "a Python image: the CUDA wheels bring their CUDA runtime and cuDNN, the host only "
        "needs the driver",
        ctx.kb.torch_index_provenance()));
  } else {
    r.base_kind = BaseKind::kImageRef;
    r.base_image = ctx.spec.base;
    r.reasons.push_back(make_reason("base_image", r.base_image,
                                    "the spec's image; PyTorch is installed with pip on top",
                                    ctx.kb.torch_index_provenance()));
  }
  r.reasons.push_back(make_reason("pip", r.framework_package,
                                  "the newest patch release of the chosen release",
                                  ctx.kb.torch_index_provenance()));
  if (ctx.gpu) {
    add_cuda_reasons(ctx, build, eval, r);
  }
  if (build.release_candidate) {
    r.warnings.push_back(
        fmt::format("{} is a release candidate in the knowledge base", label(build)));
  }
  return r;
}

std::vector<Version> known_versions(const KnowledgeBase& kb) {
  std::vector<Version> out;
  for (const auto* build : kb.torch_builds_matching(Version{})) {
    out.push_back(build->version);
  }
  return out;
}

const TorchBuild* find_build(const KnowledgeBase& kb, const Version& version) {
  for (const auto& build : kb.torch_builds()) {
    if (build.version == version) {
      return &build;
    }
  }
  return nullptr;
}

}  // namespace

Outcome resolve_pytorch(Context& ctx) {
  const auto request = parse_version_request(ctx.spec.version);
  if (!request) {
    return conflict(
        ctx,
        {{"version", fmt::format("version '{}' is not a version", ctx.spec.version), "", false}},
        {});
  }
  const std::vector<const TorchBuild*> candidates = candidates_for(ctx.kb, *request);
  AlternativeQuery query;
  query.framework = "PyTorch";
  for (const auto* build : candidates_for(ctx.kb, {})) {
    query.versions.push_back(build->version);
  }
  query.evaluate = [&ctx](const HostView& host, bool gpu, const Version& version) {
    const TorchBuild* build = find_build(ctx.kb, version);
    return build == nullptr ? std::vector<Violation>{{"version", "unknown", "", false}}
                            : evaluate(ctx, host, gpu, *build).violations;
  };
  if (candidates.empty()) {
    query.violations = {unknown_version("PyTorch", request->text, known_versions(ctx.kb), ctx.kb)};
    return conflict(ctx, query.violations, find_alternatives(ctx, query));
  }
  std::optional<TorchEvaluation> first;
  for (const TorchBuild* build : candidates) {
    TorchEvaluation eval = evaluate(ctx, ctx.host, ctx.gpu, *build);
    if (eval.violations.empty()) {
      return finish(make_resolution(ctx, *build, eval), ctx);
    }
    if (!first) {
      first = std::move(eval);
    }
  }
  query.requested = candidates.front()->version;
  query.violations = first->violations;
  query.fit = first->fit;
  return conflict(ctx, query.violations, find_alternatives(ctx, query));
}

}  // namespace deepdock::core::resolve_detail
