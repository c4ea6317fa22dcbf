// TensorFlow: the release (newest that works, the newest of a prefix, or exact), its tested
// CUDA and cuDNN, the GPU and driver checks, and the official image of its era.

#include <fmt/format.h>

#include <algorithm>

#include "core/resolve/alternatives.hpp"
#include "core/resolve/framework_resolvers.hpp"
#include "core/resolve/gpu_fit.hpp"
#include "core/resolve/python_choice.hpp"
#include "core/resolve/tf_image.hpp"
#include "core/resolve/version_request.hpp"

namespace deepdock::core::resolve_detail {

namespace {

struct TfEvaluation {
  std::vector<Violation> violations;
  GpuFit fit;
  TfImage image;
};

std::string label(const TfBuild& build) {
  return "TensorFlow " + build.version.text();
}

PythonRange python_range(const TfBuild& build) {
  return {build.python_min, build.python_max, build.python27};
}

TfEvaluation evaluate(const Context& ctx, const HostView& host, bool gpu, const TfBuild& build,
                      bool latest) {
  TfEvaluation out;
  if (auto python = check_python(ctx.spec, label(build), python_range(build), build.provenance)) {
    out.violations.push_back(std::move(*python));
  }
  Context view{ctx.spec, ctx.kb, host, gpu, {}};
  out.image = choose_tf_image(view, build, latest);
  if (out.image.violation) {
    out.violations.push_back(*out.image.violation);
  }
  if (gpu) {
    const TfKernelRange* kernels = ctx.kb.tf_kernels(build.version);
    if (kernels == nullptr) {
      out.violations.push_back(
          {"compute capability",
           fmt::format("the knowledge base has no architecture list for {}", label(build)), "",
           false});
      return out;
    }
    out.fit = fit_gpus({label(build), build.cuda, &kernels->kernels}, host, ctx.kb);
    out.violations.insert(out.violations.end(), out.fit.violations.begin(),
                          out.fit.violations.end());
  }
  return out;
}

const TfBuild* find_build(const KnowledgeBase& kb, const Version& version) {
  for (const auto& build : kb.tf_builds()) {
    if (build.version == version) {
      return &build;
    }
  }
  return nullptr;
}

std::string framework_why(const VersionRequest& request, const std::string& skipped) {
  switch (request.kind) {
    case VersionRequest::Kind::kLatest:
      return "the newest release in the knowledge base ('latest')";
    case VersionRequest::Kind::kPrefix:
      return request.prefix.size() >= 3
                 ? "the release the spec names"
                 : fmt::format("the newest {}.x release in the knowledge base", request.text);
    case VersionRequest::Kind::kNewest:
      break;
  }
  if (skipped.empty()) {
    return "the newest release, and it runs on this host";
  }
  return fmt::format("the newest release that runs on this host; {}", skipped);
}

Resolution make_resolution(const Context& ctx, const TfBuild& build, TfEvaluation eval,
                           const VersionRequest& request, const std::string& skipped) {
  Resolution r;
  r.framework = Framework::kTensorflow;
  r.framework_version = build.version.text();
  r.python = eval.image.python;
  r.gpu = ctx.gpu;
  r.base_kind = eval.image.kind;
  r.base_image = eval.image.base_image;
  r.pip_packages = eval.image.pip_packages;
  r.framework_package = eval.image.framework_package;
  r.base_has_jupyter = eval.image.base_has_jupyter;
  r.reasons.push_back(make_reason("framework", r.framework_version, framework_why(request, skipped),
                                  build.provenance));
  if (ctx.gpu) {
    r.cuda = build.cuda.text();
    r.cudnn = build.cudnn.text();
    r.min_driver = eval.fit.min_driver;
    r.driver_branch = eval.fit.driver_branch;
    const std::string tested = fmt::format("the tested build configuration of {}", label(build));
    r.reasons.push_back(make_reason("cuda", r.cuda, tested, build.provenance));
    r.reasons.push_back(make_reason("cudnn", r.cudnn, tested, build.provenance));
    r.reasons.insert(r.reasons.end(), eval.fit.reasons.begin(), eval.fit.reasons.end());
    r.warnings = eval.fit.warnings;
  }
  r.reasons.insert(r.reasons.end(), eval.image.reasons.begin(), eval.image.reasons.end());
  r.warnings.insert(r.warnings.end(), eval.image.warnings.begin(), eval.image.warnings.end());
  return r;
}

std::vector<Version> known_versions(const KnowledgeBase& kb) {
  std::vector<Version> out;
  for (auto it = kb.tf_builds().rbegin(); it != kb.tf_builds().rend(); ++it) {
    out.push_back(it->version);
  }
  return out;
}

Outcome tf_conflict(const Context& ctx, const TfBuild* requested, const TfEvaluation& eval,
                    std::vector<Violation> violations) {
  AlternativeQuery query;
  query.framework = "TensorFlow";
  query.versions = known_versions(ctx.kb);
  if (requested != nullptr) {
    query.requested = requested->version;
  }
  query.violations = violations;
  query.fit = eval.fit;
  query.evaluate = [&ctx](const HostView& host, bool gpu, const Version& version) {
    const TfBuild* build = find_build(ctx.kb, version);
    return build == nullptr ? std::vector<Violation>{{"version", "unknown", "", false}}
                            : evaluate(ctx, host, gpu, *build, false).violations;
  };
  std::vector<Alternative> alternatives = find_alternatives(ctx, query);
  const bool python_problem =
      std::any_of(violations.begin(), violations.end(),
                  [](const Violation& v) { return v.constraint == "python"; });
  if (requested != nullptr && python_problem) {
    // The official image's Python where that is what clashed, else the newest supported.
    const bool image_python = !eval.image.python.empty() && eval.image.python != ctx.spec.python;
    alternatives.push_back(
        {fmt::format("python: {} (TensorFlow {} supports {})",
                     image_python ? eval.image.python : requested->python_max.text(),
                     requested->version.text(), describe(python_range(*requested))),
         requested->version.text(),
         {},
         {}});
  }
  return conflict(ctx, std::move(violations), std::move(alternatives));
}

}  // namespace

Outcome resolve_tensorflow(Context& ctx) {
  const auto request = parse_version_request(ctx.spec.version);
  if (!request) {
    return conflict(
        ctx,
        {{"version", fmt::format("version '{}' is not a version", ctx.spec.version), "", false}},
        {});
  }
  std::vector<const TfBuild*> candidates;
  if (request->kind == VersionRequest::Kind::kPrefix) {
    candidates = ctx.kb.tf_builds_matching(request->prefix);
  } else {
    candidates = ctx.kb.tf_builds_matching(Version{});  // the empty prefix: every release
    if (request->kind == VersionRequest::Kind::kLatest && !candidates.empty()) {
      candidates.resize(1);
    }
  }
  if (candidates.empty()) {
    auto missing = unknown_version("TensorFlow", request->text, known_versions(ctx.kb), ctx.kb);
    return tf_conflict(ctx, nullptr, {}, {std::move(missing)});
  }
  const bool latest = request->kind == VersionRequest::Kind::kLatest;
  std::optional<TfEvaluation> first;
  std::string skipped;
  for (const TfBuild* build : candidates) {
    TfEvaluation eval = evaluate(ctx, ctx.host, ctx.gpu, *build, latest);
    if (eval.violations.empty()) {
      return finish(make_resolution(ctx, *build, std::move(eval), *request, skipped), ctx);
    }
    if (!first) {
      skipped = fmt::format("newer ones do not ({})", eval.violations.front().detail);
      first = std::move(eval);
    }
  }
  std::vector<Violation> violations = first->violations;
  return tf_conflict(ctx, candidates.front(), *first, std::move(violations));
}

}  // namespace deepdock::core::resolve_detail
