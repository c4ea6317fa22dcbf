#include "core/spec/spec.hpp"

namespace deepdock::core {

std::string_view to_string(Framework value) {
  switch (value) {
    case Framework::kTensorflow:
      return "tensorflow";
    case Framework::kPytorch:
      return "pytorch";
    case Framework::kJax:
      return "jax";
    case Framework::kNone:
      return "none";
  }
  return "unknown";
}

std::string_view to_string(GpuMode value) {
  switch (value) {
    case GpuMode::kAuto:
      return "auto";
    case GpuMode::kRequired:
      return "required";
    case GpuMode::kNone:
      return "none";
    case GpuMode::kCount:
      return "count";
  }
  return "unknown";
}

std::string_view to_string(JupyterMode value) {
  switch (value) {
    case JupyterMode::kLab:
      return "lab";
    case JupyterMode::kNotebook:
      return "notebook";
    case JupyterMode::kNone:
      return "none";
  }
  return "unknown";
}

std::string_view to_string(TargetKind value) {
  switch (value) {
    case TargetKind::kLocal:
      return "local";
    case TargetKind::kSsh:
      return "ssh";
    case TargetKind::kGcp:
      return "gcp";
  }
  return "unknown";
}

std::string_view to_string(BuildMode value) {
  switch (value) {
    case BuildMode::kLocal:
      return "local";
    case BuildMode::kCloudbuild:
      return "cloudbuild";
  }
  return "unknown";
}

std::string_view to_string(NetworkMode value) {
  switch (value) {
    case NetworkMode::kBridge:
      return "bridge";
    case NetworkMode::kHost:
      return "host";
  }
  return "unknown";
}

}  // namespace deepdock::core
