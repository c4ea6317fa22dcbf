#include "core/resolve/tf_image.hpp"

#include <fmt/format.h>

#include "core/resolve/python_choice.hpp"
#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

namespace {

std::string pip_reason(const TfBuild& build, bool gpu) {
  if (!gpu) {
    return fmt::format("the CPU-only package of TensorFlow {}", build.version.text());
  }
  if (build.pip_gpu == "tensorflow-gpu") {
    return "TensorFlow 2.0 and older ship GPU support in the separate tensorflow-gpu package";
  }
  if (build.pip_gpu == "tensorflow") {
    return "from 2.1 the tensorflow package has GPU support (tensorflow-gpu became an empty "
           "package in Dec 2022); CUDA and cuDNN come from the image";
  }
  return "from 2.14 the [and-cuda] extra installs CUDA and cuDNN from pip";
}

std::string pinned(const std::string& package, const TfBuild& build) {
  return fmt::format("{}=={}", package, build.version.text());
}

void add_pip_reasons(const Context& ctx, const TfBuild& build, TfImage& out) {
  const std::string package = ctx.gpu ? build.pip_gpu : build.pip_cpu;
  out.framework_package = pinned(package, build);
  out.reasons.push_back(
      make_reason("pip", out.framework_package, pip_reason(build, ctx.gpu), build.provenance));
  if (ctx.gpu && !build.pip_gpu_also.empty()) {
    Provenance unconfirmed = build.provenance;
    unconfirmed.unverified = true;
    out.reasons.push_back(make_reason(
        "pip", pinned(build.pip_gpu_also, build),
        fmt::format("the {} release notes say this package has GPU support too, which the install "
                    "docs contradict; {} is used",
                    build.version.text(), package),
        unconfirmed));
  }
}

// TensorFlow from pip on python:X.Y-slim: the spec's Python where the official image has
// another. Only where pip brings CUDA along (2.14+) or no GPU is used.
TfImage pip_on_python(const Context& ctx, const TfBuild& build, const Version& python,
                      const std::string& why) {
  TfImage out;
  out.base_image = python_base_image(python);
  out.python = python.truncated(2).text();
  add_pip_reasons(ctx, build, out);
  out.pip_packages = {out.framework_package};
  out.reasons.push_back(make_reason("python", out.python, "as the spec asks", build.provenance));
  out.reasons.push_back(make_reason("base_image", out.base_image, why, build.provenance));
  return out;
}

std::string tag_for(const TfTagEra& era, bool gpu, bool jupyter, bool latest, bool py2) {
  if (py2) {
    return gpu ? era.py2_gpu : era.py2_cpu;
  }
  if (latest && !era.latest_gpu.empty()) {
    if (jupyter) {
      return gpu ? era.latest_gpu_jupyter : era.latest_cpu_jupyter;
    }
    return gpu ? era.latest_gpu : era.latest_cpu;
  }
  if (jupyter && !(gpu ? era.gpu_jupyter : era.cpu_jupyter).empty()) {
    return gpu ? era.gpu_jupyter : era.cpu_jupyter;
  }
  return gpu ? era.gpu : era.cpu;
}

TfImage official_image(const Context& ctx, const TfBuild& build, bool latest,
                       const std::optional<Version>& asked) {
  TfImage out;
  const TfTagEra* era = ctx.kb.tf_tag_era(build.version);
  const TfImagePython* image_python = ctx.kb.tf_image_python(build.version);
  if (era == nullptr) {
    out.violation = make_violation(
        "base_image",
        fmt::format("the knowledge base has no image tag convention for TensorFlow {}",
                    build.version.text()),
        build.provenance);
    return out;
  }
  const bool py2 = asked && asked->truncated(2) == version_of("2.7");
  const bool jupyter = ctx.spec.jupyter != JupyterMode::kNone;
  const std::string tag = tag_for(*era, ctx.gpu, jupyter && !py2, latest, py2);
  out.base_image =
      fmt::format("{}:{}", ctx.kb.tf_image(), util::replace_all(tag, "{v}", build.version.text()));
  out.base_has_jupyter = util::to_lower(tag).find("jupyter") != std::string::npos;
  add_pip_reasons(ctx, build, out);
  out.reasons.push_back(make_reason(
      "base_image", out.base_image,
      fmt::format("the official image; releases {}{} tag it '{}'", era->versions.from.text(),
                  era->versions.through ? " to " + era->versions.through->text() : " and later",
                  tag),
      era->provenance));
  if (latest && !era->latest_gpu.empty()) {
    out.warnings.push_back(fmt::format(
        "'latest' tags float: {} is {} today in the knowledge base, and may be newer when pulled",
        out.base_image, build.version.text()));
  }
  if (jupyter && !out.base_has_jupyter) {
    out.reasons.push_back(make_reason("jupyter", "installed on top",
                                      "this era has no Jupyter tag for the image",
                                      era->provenance));
  }
  if (py2) {
    out.python = "2.7";
    out.reasons.push_back(make_reason(
        "python", out.python, "images of this era without -py3 carry Python 2.7", era->provenance));
  } else if (image_python != nullptr && image_python->python) {
    out.python = image_python->python->text();
    out.reasons.push_back(make_reason(
        "python", out.python,
        fmt::format("the official image's Python 3 (Ubuntu {} base)", image_python->ubuntu),
        image_python->provenance));
  } else {
    Provenance assumed = build.provenance;
    assumed.unverified = true;
    out.python = build.python_max.text();
    out.reasons.push_back(make_reason(
        "python", out.python,
        fmt::format("the official image brings its own Python 3, which the knowledge base does "
                    "not record; TensorFlow {} supports {}-{}, the newest is assumed",
                    build.version.text(), build.python_min.text(), build.python_max.text()),
        assumed));
  }
  return out;
}

}  // namespace

TfImage choose_tf_image(const Context& ctx, const TfBuild& build, bool latest) {
  const std::optional<Version> asked = requested_python(ctx.spec);
  if (ctx.spec.base != "auto") {
    TfImage out;
    out.kind = BaseKind::kImageRef;
    out.base_image = ctx.spec.base;
    add_pip_reasons(ctx, build, out);
    out.pip_packages = {out.framework_package};
    out.python = asked ? asked->truncated(2).text() : "";
    out.reasons.push_back(make_reason("base_image", out.base_image,
                                      "the spec's image; TensorFlow is installed with pip on top",
                                      build.provenance));
    if (ctx.gpu && build.pip_gpu != "tensorflow[and-cuda]") {
      out.warnings.push_back(fmt::format(
          "{} must provide CUDA {} and cuDNN {}: pip's TensorFlow {} does not bring them",
          ctx.spec.base, build.cuda.text(), build.cudnn.text(), build.version.text()));
    }
    return out;
  }
  const TfImagePython* image_python = ctx.kb.tf_image_python(build.version);
  const bool image_python_known = image_python != nullptr && image_python->python.has_value();
  const bool py2 = asked && asked->truncated(2) == version_of("2.7");
  if (!asked || py2 || (image_python_known && asked->truncated(2) == *image_python->python)) {
    return official_image(ctx, build, latest, asked);
  }
  const bool pip_brings_cuda = build.pip_gpu == "tensorflow[and-cuda]";
  if (!ctx.gpu || pip_brings_cuda) {
    return pip_on_python(
        ctx, build, *asked,
        image_python_known
            ? fmt::format("the official image has Python {}; the spec asks for {}",
                          image_python->python->text(), ctx.spec.python)
            : fmt::format("the official image's Python is not recorded; the spec asks for {}",
                          ctx.spec.python));
  }
  TfImage out = official_image(ctx, build, latest, std::nullopt);
  if (image_python_known) {
    out.violation = make_violation(
        "python",
        fmt::format("the official TensorFlow {} GPU image has Python {}; Python {} would need "
                    "CUDA {} and cuDNN {} assembled by hand, since pip's TensorFlow {} does not "
                    "bring them",
                    build.version.text(), image_python->python->text(), ctx.spec.python,
                    build.cuda.text(), build.cudnn.text(), build.version.text()),
        image_python->provenance);
  }
  return out;
}

}  // namespace deepdock::core::resolve_detail
