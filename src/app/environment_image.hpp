#pragma once
// The environment image on the engine `up` runs on: found there, or made (its base image
// pulled or debootstrapped, then the build) by the engine that makes images. When that is
// another engine (`--ship`: this machine's, for an SSH host), the image is then shipped
// with only the layers the target lacks.

#include <vector>

#include "app/up_environment.hpp"
#include "util/error.hpp"

namespace deepdock::app {

// Records the base-image, build-image and (when shipping) ship-image steps in `steps`.
Status ensure_environment_image(const UpPreparation& prepared, const UpRequest& request,
                                UpDeps& deps, UpObserver& observer, std::vector<StepRecord>& steps);

}  // namespace deepdock::app
