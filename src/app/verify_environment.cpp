#include "app/verify_environment.hpp"

#include "app/environment_labels.hpp"
#include "app/probe_check.hpp"

namespace deepdock::app {
namespace {

core::Framework framework_from_label(const std::string& label) {
  if (label == "tensorflow") {
    return core::Framework::kTensorflow;
  }
  if (label == "pytorch") {
    return core::Framework::kPytorch;
  }
  if (label == "jax") {
    return core::Framework::kJax;
  }
  return core::Framework::kNone;
}

}  // namespace

Result<VerifyOutcome> verify_environment(core::ContainerEngine& engine, core::StateStore& state,
                                         const std::string& name, std::string_view probe_binary,
                                         const std::string& now) {
  VerifyOutcome outcome;
  TRY_ASSIGN(outcome.environment, running_environment(engine, state, name));
  TRY_ASSIGN(const core::ContainerInfo info,
             engine.inspect_container(outcome.environment.container_id));
  core::Resolution built_for;
  built_for.framework = framework_from_label(outcome.environment.framework);
  const auto gpu = info.labels.find("deepdock.gpu");  // set by the generator on the image
  built_for.gpu = gpu != info.labels.end() && gpu->second == "true";
  outcome.gpu_environment = built_for.gpu;
  outcome.verification = run_probe_check(engine, info.id, built_for, probe_binary, now);
  if (outcome.verification.passed) {
    (void)state.write(info.id, verification_to_json(outcome.verification, info.state.started_at));
  } else {
    (void)state.remove(info.id);
  }
  return outcome;
}

}  // namespace deepdock::app
