// Placeholder until the import is written (owned by the base-image work).
#include "adapters/docker/docker_engine.hpp"

namespace deepdock::adapters::docker {

Result<std::string> DockerEngine::import_image(const core::ImportRequest& /*request*/,
                                               const core::ProgressFn& /*progress*/) {
  return fail(ErrorCode::kFailure, "importing images is not written yet");
}

}  // namespace deepdock::adapters::docker
