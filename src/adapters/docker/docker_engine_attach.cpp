// Placeholder until the attached exec is written (owned by the shell work).
#include "adapters/docker/docker_engine.hpp"

namespace deepdock::adapters::docker {

Result<int64_t> DockerEngine::exec_attached(std::string_view /*id*/,
                                            const core::AttachedExecSpec& /*spec*/) {
  return fail(ErrorCode::kFailure, "attached exec is not written yet");
}

}  // namespace deepdock::adapters::docker
