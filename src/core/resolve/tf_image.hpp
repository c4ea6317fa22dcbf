#pragma once
// The base image and Python of a TensorFlow environment: the official tensorflow/tensorflow
// image with the tag convention of the release's era (1.15.0-gpu-py3-jupyter,
// 2.15.0-gpu-jupyter, latest-gpu), a Python image with TensorFlow from pip where the spec asks
// for a Python the official image does not have, or the spec's own image. Internal to the
// resolver.

#include <optional>
#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/resolution.hpp"
#include "core/resolve/resolve_context.hpp"

namespace deepdock::core::resolve_detail {

struct TfImage {
  BaseKind kind = BaseKind::kOfficialImage;
  std::string base_image;
  std::string python;  // empty: the image's own, not recorded
  std::vector<std::string> pip_packages;
  std::string framework_package;  // "tensorflow-gpu==1.15.0"
  bool base_has_jupyter = false;
  std::vector<Reason> reasons;  // python, base_image, pip
  std::vector<std::string> warnings;
  std::optional<Violation> violation;  // the spec's Python cannot be had with this release
};

// `latest`: the spec asked for "latest" (floating tags where the era has them).
TfImage choose_tf_image(const Context& ctx, const TfBuild& build, bool latest);

}  // namespace deepdock::core::resolve_detail
