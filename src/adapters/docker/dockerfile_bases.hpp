#pragma once
// The images a Dockerfile builds FROM, so a build can send the engine credentials for
// their registries (X-Registry-Config); the classic builder pulls them itself.

#include <string_view>
#include <vector>

#include "core/model/image_ref.hpp"

namespace deepdock::adapters::docker {

// References in `FROM [--platform=...] <image> [AS <name>]` lines, in order, without
// duplicates. Skips `scratch`, earlier stage names and references that use build
// arguments ($VAR), which only the builder can expand.
std::vector<core::ImageRef> dockerfile_base_images(std::string_view dockerfile);

}  // namespace deepdock::adapters::docker
