#pragma once
// The labels deepdock puts on what it creates. They are how it finds its own containers
// and images again, and the promise that it never touches anything else: every removal
// filters on kManaged and the environment's kEnvironment value.

namespace deepdock::app::labels {

inline constexpr const char* kManaged = "deepdock.managed";     // "true"
inline constexpr const char* kEnvironment = "deepdock.env";     // the spec's name
inline constexpr const char* kConfig = "deepdock.config";       // hash of the container config
inline constexpr const char* kSpecFile = "deepdock.spec.file";  // absolute path, or ""
inline constexpr const char* kImageTag = "deepdock.image";      // the content-addressed tag
inline constexpr const char* kJupyterPort = "deepdock.port.jupyter";  // host port, when served
inline constexpr const char* kTensorboardPort = "deepdock.port.tensorboard";
inline constexpr const char* kGpus = "deepdock.gpus";         // "all", "2", "none"
inline constexpr const char* kGpuMode = "deepdock.gpu.mode";  // "nvidia", "cdi", "none"
inline constexpr const char* kNetwork = "deepdock.network";   // "bridge" or "host"
inline constexpr const char* kDeepdockVersion = "deepdock.version";
// Set on images by the generator (gen/environment_dockerfile.cpp).
inline constexpr const char* kImageGenerator = "deepdock.generator";  // "deepdock"
inline constexpr const char* kImageSpecName = "deepdock.spec.name";
inline constexpr const char* kFramework = "deepdock.framework";
inline constexpr const char* kFrameworkVersion = "deepdock.framework_version";
// Set on imported debootstrap bases (app/base_image.cpp): "debootstrap:<suite>".
inline constexpr const char* kBase = "deepdock.base";

}  // namespace deepdock::app::labels
