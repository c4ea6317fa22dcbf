#pragma once
// The environments `up` made, as the engine's labels record them: listed by `status`,
// found by name for `shell`, `exec` and `logs`, and taken down by `down`. Only containers
// and images that carry deepdock's labels are ever touched.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/verification.hpp"
#include "core/ports/container_engine.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::app {

struct EnvironmentView {
  std::string name;  // the spec's name
  std::string container_id;
  std::string container_name;
  std::string state;   // running, exited, created, ...
  std::string health;  // healthy, starting, unhealthy, "" (no health check)
  std::string started_at;
  std::string image;
  std::string framework;
  std::string framework_version;
  std::string gpus;      // "all", "2", "none"
  std::string gpu_mode;  // "nvidia", "cdi", "none"
  std::string network;   // "bridge", "host"
  std::string jupyter_mode;
  std::optional<uint16_t> jupyter_port;
  std::optional<uint16_t> tensorboard_port;
  std::string token;
  std::string spec_file;
  std::optional<Verification> verification;  // a passed check of this start, if recorded
};

// Every deepdock environment on the engine, stopped ones included, sorted by name.
Result<std::vector<EnvironmentView>> list_environments(core::ContainerEngine& engine,
                                                       core::StateStore& state);

// The environment called `name`; kNotFound (with the `up` hint) when there is none.
Result<EnvironmentView> find_environment(core::ContainerEngine& engine, core::StateStore& state,
                                         const std::string& name);

// find_environment, and an error unless its container runs (for shell and exec).
Result<EnvironmentView> running_environment(core::ContainerEngine& engine, core::StateStore& state,
                                            const std::string& name);

struct DownOptions {
  bool images = false;   // also remove the environment's images
  bool volumes = false;  // also remove the containers' anonymous volumes
};

struct DownResult {
  std::vector<std::string> containers_removed;  // names
  std::vector<std::string> images_removed;      // tags or IDs
  std::vector<std::string> notes;               // what was kept, and why
};

// Stops and removes the environment's containers (and, as asked, its images). Nothing to
// remove is not an error: `down` twice is `down` once.
Result<DownResult> down_environment(core::ContainerEngine& engine, core::StateStore& state,
                                    const std::string& name, const DownOptions& options);

// The Jupyter URL with its token ("" when Jupyter is not served).
std::string jupyter_url(const std::string& mode, std::optional<uint16_t> port,
                        const std::string& token);

}  // namespace deepdock::app
