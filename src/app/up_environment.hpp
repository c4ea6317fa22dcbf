#pragma once
// `deepdock up` as a use case: probe -> resolve -> plan -> apply -> verify, through ports.
//
// prepare_up probes the host and the engine and plans; it changes nothing, so `plan`-like
// output and `up --dry-run` come from it. apply_up converges the engine to the plan, each
// step idempotent: the base image and the environment image are made only when missing
// (the image tag is the hash of every build input, and the engine's layer cache rebuilds
// from the first changed layer), the container is kept when its configuration hash
// matches and replaced otherwise, then the services are awaited and the framework check
// run. An interrupted run leaves only states a second run repairs: an untagged build,
// a created-but-stopped container, a stale container of an older configuration.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/container_config.hpp"
#include "app/engine_report.hpp"
#include "app/plan_environment.hpp"
#include "app/verification.hpp"
#include "core/compat/knowledge_base.hpp"
#include "core/model/container.hpp"
#include "core/ports/container_engine.hpp"
#include "core/ports/gpu_probe.hpp"
#include "core/ports/rootfs_builder.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::app {

struct UpRequest {
  core::Spec spec;
  std::string requirements_text;
  std::string spec_file;            // absolute path; "" for the default environment
  std::vector<core::Mount> mounts;  // the spec's mounts with absolute host paths
  std::string deepdock_version;
  bool reverify = false;  // run the framework check even when a record says it passed
  std::chrono::seconds ready_timeout{300};
};

class UpObserver;

struct UpDeps {
  core::ContainerEngine& engine;
  core::GpuProbe& probe;
  core::RootfsBuilder& rootfs;
  core::StateStore& state;
  const core::KnowledgeBase& kb;
  // GET http://127.0.0.1:<port><path> from this machine; the HTTP status.
  std::function<Result<int>(uint16_t port, std::string_view path)> local_http_status;
  // Whether nothing listens on 127.0.0.1:<port> of this machine.
  std::function<bool(uint16_t port)> port_free;
  // The current UTC time, ISO 8601.
  std::function<std::string()> now_utc;
  // The in-container probe's executable (src/probe), which deepdock carries inside itself.
  std::string_view probe_binary;
  // `--ship`: the engine that makes the image (this machine's); the image then goes to
  // `engine` with only the layers it lacks. Null: `engine` makes it.
  core::ContainerEngine* image_maker = nullptr;
  std::filesystem::path ship_dir;  // where the shipped archive is written
  // The spec's `registry:` for a remote target: the image `image_maker` made is pushed
  // there and `engine` pulls it, instead of being shipped. "" = ship.
  std::string push_registry;
  // `build: cloudbuild`: builds the context remotely as `image` (in push_registry) and
  // returns the pushed digest; `engine` then pulls it. Null: images are built by an engine.
  std::function<Result<std::string>(const core::BuildRequest& context, const std::string& image,
                                    UpObserver& observer)>
      cloud_build;
  // Pulls a pushed image on the target itself (a cloud VM's docker, with the registry's
  // credential helper the bootstrap configured: no credential leaves this machine). Null:
  // `engine` pulls it through the Engine API with this machine's credentials.
  std::function<Status(const std::string& image)> pull_on_target;
};

struct StepRecord {
  std::string id;       // the plan step's id: "base-image", "build-image", ...
  std::string title;    // "build image deepdock/x:3f2a..."
  std::string outcome;  // "built", "present", "reused", "created", ...
  double seconds = 0;
};

// Receives what happens as it happens (the CLI draws it on stderr).
class UpObserver {
 public:
  virtual ~UpObserver() = default;
  virtual void step_started(const StepRecord& /*step*/) {}
  virtual void step_finished(const StepRecord& /*step*/) {}
  virtual void progress(const core::ProgressEvent& /*event*/) {}  // pulls and builds
  virtual void line(std::string_view /*text*/) {}                 // tool output (debootstrap)
};

struct UpPreparation {
  EnvironmentPlan plan;
  EngineReport engine;
  core::GpuRequest gpus;          // what the container will be given
  bool engine_is_local = true;    // 127.0.0.1 of this machine is the container's host
  std::vector<StepRecord> steps;  // probe and plan, timed
  // What apply_up would find, for --dry-run: whether each step has work to do.
  bool image_present = false;
  std::string container_state;  // "up to date", "stopped", "to replace", "to create"
};

struct UpResult {
  std::vector<StepRecord> steps;
  std::string container_id;
  std::string container_name;
  std::string image_tag;
  std::string token;
  std::optional<uint16_t> jupyter_port;
  std::optional<uint16_t> tensorboard_port;
  std::string jupyter_mode;  // "lab", "notebook", "none"
  core::GpuRequest gpus;
  Verification verification;
  std::vector<std::string> notes;  // a moved port, a CPU environment, ...
  double total_seconds = 0;
};

// Probes and plans. A Conflict is not an error here: it is in result.plan.conflict.
Result<UpPreparation> prepare_up(const UpRequest& request, UpDeps& deps, UpObserver& observer);

// Converges the engine to the prepared plan (which must have no conflict) and verifies.
Result<UpResult> apply_up(const UpPreparation& prepared, const UpRequest& request, UpDeps& deps,
                          UpObserver& observer);

}  // namespace deepdock::app
