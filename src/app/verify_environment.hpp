#pragma once
// `deepdock verify`: the probe and framework check of `up`, run again on demand in an environment's
// running container, judged by what the environment was built for (its framework, and
// whether it is a GPU environment, from the labels the image carries), and recorded when it
// passes.

#include <string>
#include <string_view>

#include "app/environments.hpp"
#include "app/verification.hpp"
#include "core/ports/container_engine.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::app {

struct VerifyOutcome {
  EnvironmentView environment;
  bool gpu_environment = false;
  Verification verification;
};

// kNotFound / kPrecondition when the environment is missing or not running. A failed check
// is not an error here: it is in verification.passed and .problem.
// `probe_binary` is the in-container probe's executable.
Result<VerifyOutcome> verify_environment(core::ContainerEngine& engine, core::StateStore& state,
                                         const std::string& name, std::string_view probe_binary,
                                         const std::string& now);

}  // namespace deepdock::app
