#pragma once
// The environment's container, as the engine is asked to create it: image, runtime
// settings, ports on 127.0.0.1, mounts, GPUs, labels. Its configuration hash covers what
// the user chose (spec, image, GPUs) but not what deepdock picks per run (the token, a
// host port moved because the asked one was busy), so an unchanged environment keeps its
// container and a changed one gets a new container.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/engine_report.hpp"
#include "app/plan_environment.hpp"
#include "core/model/container.hpp"

namespace deepdock::app {

// The services the image serves, after the generator's choices.
struct Services {
  bool jupyter = false;
  bool tensorboard = false;
};
Services services_of(const EnvironmentPlan& plan);

struct ContainerInputs {
  const EnvironmentPlan* plan = nullptr;
  std::string spec_file;            // absolute path of the spec; "" for the default
  std::vector<core::Mount> mounts;  // host paths made absolute by the caller
  core::GpuRequest gpus;            // Mode::kNone for a CPU environment
  bool host_network = false;
  std::string deepdock_version;
};

struct RuntimeChoices {
  std::string token;               // the Jupyter token
  uint16_t jupyter_host_port = 0;  // where Jupyter answers on 127.0.0.1 (0: not served)
  uint16_t tensorboard_host_port = 0;
};

// How the container gets the GPUs a GPU environment needs: CDI names on an engine that has
// CDI and no nvidia runtime, else the nvidia device driver (registered by the toolkit's
// runtime or its hook; an engine with neither fails the start with "could not select device
// driver", which the engine adapter turns into the fix). Mode::kNone for a CPU environment.
core::GpuRequest gpu_request_for(const EnvironmentPlan& plan, const GpuSupport& engine);

// The host port for a service: `wanted`, or the next free one above it (not `taken`),
// with a note saying so. kPrecondition naming `spec_key` when none of the next 100 is free.
Result<uint16_t> pick_host_port(uint16_t wanted, uint16_t taken, std::string_view service,
                                std::string_view spec_key,
                                const std::function<bool(uint16_t)>& port_free,
                                std::vector<std::string>& notes);

std::string container_config_hash(const ContainerInputs& inputs);

core::ContainerSpec container_spec(const ContainerInputs& inputs, const RuntimeChoices& runtime,
                                   const std::string& config_hash);

// "all", "2" or "none", as recorded in the kGpus label.
std::string gpu_words(const core::GpuRequest& gpus);

// The host port a label records (labels::kJupyterPort, kTensorboardPort); nullopt when the
// label is absent or not a port.
std::optional<uint16_t> label_port(const std::map<std::string, std::string>& labels,
                                   std::string_view key);

// The value of KEY in a "KEY=value" list; "" when absent.
std::string env_value(const std::vector<std::string>& env, std::string_view key);

}  // namespace deepdock::app
