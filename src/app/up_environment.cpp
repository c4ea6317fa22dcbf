#include "app/up_environment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>

#include "app/container_removal.hpp"
#include "app/environment_image.hpp"
#include "app/environment_labels.hpp"
#include "app/probe_check.hpp"
#include "app/service_wait.hpp"
#include "app/up_steps.hpp"
#include "gen/start_script.hpp"
#include "util/random.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStopTimeoutSeconds = 10;
constexpr size_t kTokenBytes = 24;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool endpoint_is_local(std::string_view endpoint) {
  if (endpoint.starts_with("ssh://")) {
    return false;  // a remote engine reached through a forwarded socket
  }
  return endpoint.starts_with("unix://") || endpoint.starts_with("npipe://") ||
         endpoint.find("://127.0.0.1") != std::string_view::npos ||
         endpoint.find("://localhost") != std::string_view::npos ||
         endpoint.find("://[::1]") != std::string_view::npos;
}

ContainerInputs container_inputs(const UpPreparation& prepared, const UpRequest& request) {
  ContainerInputs inputs;
  inputs.plan = &prepared.plan;
  inputs.spec_file = request.spec_file;
  inputs.mounts = request.mounts;
  inputs.gpus = prepared.gpus;
  inputs.host_network = prepared.plan.spec.network == core::NetworkMode::kHost;
  inputs.deepdock_version = request.deepdock_version;
  return inputs;
}

std::vector<std::string> environment_filter(const std::string& name) {
  return {fmt::format("{}=true", labels::kManaged),
          fmt::format("{}={}", labels::kEnvironment, name)};
}

bool has_name(const core::ContainerSummary& summary, const std::string& name) {
  return std::find(summary.names.begin(), summary.names.end(), name) != summary.names.end();
}

// The container as apply_up found or made it.
struct ContainerOutcome {
  core::ContainerInfo info;
  std::string action;  // "reused", "started", "created", "replaced"
  RuntimeChoices runtime;
  std::vector<std::string> notes;
};

class Applier {
 public:
  Applier(const UpPreparation& prepared, const UpRequest& request, UpDeps& deps,
          UpObserver& observer)
      : prepared_(prepared),
        plan_(prepared.plan),
        request_(request),
        deps_(deps),
        engine_(deps.engine),
        observer_(observer) {}

  Result<UpResult> run() {
    const auto start = Clock::now();
    result_.container_name = plan_.container_name;
    result_.image_tag = plan_.image_tag;
    result_.gpus = prepared_.gpus;
    result_.jupyter_mode = std::string(core::to_string(plan_.context->jupyter));
    const auto& warnings = plan_.resolution->warnings;
    const bool said = std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
      return w.find("CPU") != std::string::npos;
    });
    if (!plan_.resolution->gpu && !said) {
      result_.notes.emplace_back(
          plan_.spec.gpu.mode == core::GpuMode::kNone ? "CPU environment (gpu: none)"
          : plan_.resolution->base_kind == core::BaseKind::kDebootstrap
              ? "CPU environment: Debian's framework packages are built without CUDA"
              : "CPU environment: no usable NVIDIA GPU was found on this host (gpu: auto)");
    }

    TRY(ensure_image());
    TRY_ASSIGN(ContainerOutcome container, ensure_container());
    result_.container_id = container.info.id;
    result_.token = container.runtime.token;
    const Services services = services_of(plan_);
    if (services.jupyter) {
      result_.jupyter_port = container.runtime.jupyter_host_port;
    }
    if (services.tensorboard) {
      result_.tensorboard_port = container.runtime.tensorboard_host_port;
    }
    for (auto& note : container.notes) {
      result_.notes.push_back(std::move(note));
    }
    TRY(await_and_verify(container));
    result_.total_seconds = seconds_since(start);
    return std::move(result_);
  }

 private:
  Status ensure_image() {
    return ensure_environment_image(prepared_, request_, deps_, observer_, result_.steps);
  }

  // Whether a port of this machine is free; on a remote engine every port counts as free
  // (this machine's ports say nothing of that host's).
  std::function<bool(uint16_t)> port_free() const {
    if (!prepared_.engine_is_local) {
      return [](uint16_t) { return true; };
    }
    return deps_.port_free;
  }

  Status remove_container(const std::string& id) {
    TRY(remove_container_converging(engine_, id, kStopTimeoutSeconds, false));
    (void)deps_.state.remove(id);
    return {};
  }

  Result<ContainerOutcome> ensure_container() {
    StepTimer step(observer_, result_.steps, "container",
                   step_title(plan_, "container", "run the container"));
    const ContainerInputs inputs = container_inputs(prepared_, request_);
    const std::string config = container_config_hash(inputs);
    TRY_ASSIGN(const auto found,
               engine_.list_containers(environment_filter(plan_.spec.name), true));

    std::optional<core::ContainerSummary> keep;
    std::string old_token;
    bool replaced = false;
    for (const auto& summary : found) {
      const auto label = summary.labels.find(labels::kConfig);
      if (!keep && label != summary.labels.end() && label->second == config &&
          has_name(summary, plan_.container_name) && summary.state != "dead" &&
          summary.state != "removing") {
        keep = summary;
        continue;
      }
      if (auto info = engine_.inspect_container(summary.id); info && old_token.empty()) {
        old_token = env_value(info->env, gen::kEnvJupyterToken);
      }
      TRY(remove_container(summary.id));
      replaced = true;
    }

    ContainerOutcome outcome;
    if (keep) {
      TRY_ASSIGN(outcome.info, engine_.inspect_container(keep->id));
      outcome.runtime.token = env_value(outcome.info.env, gen::kEnvJupyterToken);
      outcome.runtime.jupyter_host_port =
          label_port(outcome.info.labels, labels::kJupyterPort).value_or(0);
      outcome.runtime.tensorboard_host_port =
          label_port(outcome.info.labels, labels::kTensorboardPort).value_or(0);
      if (outcome.info.state.running) {
        outcome.action = "reused (running)";
        step.done(outcome.action);
        return outcome;
      }
      auto started = engine_.start_container(outcome.info.id);
      if (started) {
        TRY_ASSIGN(outcome.info, engine_.inspect_container(outcome.info.id));
        outcome.action = "started (was stopped)";
        step.done(outcome.action);
        return outcome;
      }
      // A container that no longer starts (its port taken, a mount gone) is replaced.
      old_token = outcome.runtime.token;
      TRY(remove_container(outcome.info.id));
      replaced = true;
      outcome = ContainerOutcome{};
    }

    const Services services = services_of(plan_);
    outcome.runtime.token = old_token.empty() ? util::random_hex(kTokenBytes) : old_token;
    if (services.jupyter) {
      TRY_ASSIGN(outcome.runtime.jupyter_host_port,
                 pick_host_port(plan_.spec.ports.jupyter, 0, "Jupyter", "jupyter", port_free(),
                                outcome.notes));
    }
    if (services.tensorboard) {
      TRY_ASSIGN(outcome.runtime.tensorboard_host_port,
                 pick_host_port(plan_.spec.ports.tensorboard, outcome.runtime.jupyter_host_port,
                                "TensorBoard", "tensorboard", port_free(), outcome.notes));
    }
    if (!inputs.host_network) {
      TRY_ASSIGN(const bool bridge, engine_.network_exists("bridge"));
      if (!bridge) {
        return fail(ErrorCode::kPrecondition,
                    fmt::format("the engine {} has no bridge network (dockerd --bridge=none), so "
                                "the container's ports cannot be published",
                                engine_.endpoint()),
                    "set `network: host` in the spec: Jupyter and TensorBoard then bind "
                    "127.0.0.1 of this host directly");
      }
    }
    const core::ContainerSpec spec = container_spec(inputs, outcome.runtime, config);
    auto created = engine_.create_container(spec);
    if (!created) {
      if (created.error().code == ErrorCode::kConflict) {
        auto now = engine_.list_containers(environment_filter(plan_.spec.name), true);
        if (now && std::any_of(now->begin(), now->end(), [&](const core::ContainerSummary& c) {
              return has_name(c, plan_.container_name);
            })) {
          return fail(ErrorCode::kConflict,
                      fmt::format("another `deepdock up` made {} while this one was working",
                                  plan_.container_name),
                      "let it finish, then run `deepdock up` again: it keeps or replaces that "
                      "container");
        }
        return fail(ErrorCode::kConflict,
                    fmt::format("a container named {} exists that deepdock did not create",
                                plan_.container_name),
                    fmt::format("deepdock never removes what it did not make: rename or remove "
                                "it yourself (docker rm -f {}), or change `name` in the spec",
                                plan_.container_name));
      }
      return fail(created.error());
    }
    auto started = engine_.start_container(*created);
    if (!started) {
      // Nothing half-done stays behind: a container that cannot start is removed.
      (void)engine_.remove_container(*created, true, false);
      return fail(started.error());
    }
    TRY_ASSIGN(outcome.info, engine_.inspect_container(*created));
    outcome.action = replaced ? "replaced (configuration changed)" : "created";
    step.done(outcome.action);
    return outcome;
  }

  // Whether a service answers: from this machine when the engine is local, else from inside
  // the container.
  Status await_services(const ContainerOutcome& container) {
    const Services services = services_of(plan_);
    if (!services.jupyter && !services.tensorboard) {
      return {};
    }
    StepTimer step(observer_, result_.steps, "await",
                   step_title(plan_, "await", "wait for the services"));
    // With host networking the services listen on the host ports themselves.
    const bool host_network = plan_.spec.network == core::NetworkMode::kHost;
    std::vector<ServiceTarget> targets;
    std::vector<std::string> words;
    if (services.jupyter) {
      const uint16_t port = container.runtime.jupyter_host_port;
      targets.push_back({"Jupyter", port, host_network ? port : plan_.spec.ports.jupyter, "/api"});
      words.push_back(fmt::format("Jupyter on 127.0.0.1:{}", port));
    }
    if (services.tensorboard) {
      const uint16_t port = container.runtime.tensorboard_host_port;
      targets.push_back(
          {"TensorBoard", port, host_network ? port : plan_.spec.ports.tensorboard, "/"});
      words.push_back(fmt::format("TensorBoard on 127.0.0.1:{}", port));
    }
    TRY(wait_for_services({.engine = engine_,
                           .container_id = container.info.id,
                           .container_name = plan_.container_name,
                           .engine_is_local = prepared_.engine_is_local,
                           .local_http_status = deps_.local_http_status,
                           .timeout = request_.ready_timeout},
                          targets));
    step.done(util::join(words, ", ") + " answering");
    return {};
  }

  Verification run_check(const core::ContainerInfo& info) {
    return run_probe_check(engine_, info.id, *plan_.resolution, deps_.probe_binary,
                           deps_.now_utc());
  }

  Status await_and_verify(const ContainerOutcome& container) {
    const std::string started_at = container.info.state.started_at;
    std::optional<Verification> recorded;
    if (!request_.reverify) {
      if (auto text = deps_.state.read(container.info.id); text && *text) {
        if (auto from = verification_from_json(**text, started_at)) {
          recorded = *from;
        }
      }
    }
    // The check and the wait run side by side: importing a framework takes about as long
    // as Jupyter takes to start.
    std::future<Verification> check;
    Clock::time_point check_start = Clock::now();
    if (!recorded) {
      check =
          std::async(std::launch::async, [this, &container] { return run_check(container.info); });
    }
    Status awaited = await_services(container);
    StepTimer step(observer_, result_.steps, "verify",
                   step_title(plan_, "verify", "verify the environment"));
    Verification verification = recorded ? *recorded : check.get();
    if (!awaited) {
      return awaited;
    }
    result_.verification = verification;
    if (!verification.passed) {
      return fail(ErrorCode::kFailure,
                  fmt::format("the environment is not verified: {}", verification.problem),
                  fmt::format("the container {} is left running to investigate: `deepdock "
                              "shell`, `deepdock logs`; `deepdock up` checks again",
                              plan_.container_name));
    }
    if (!recorded) {
      (void)deps_.state.write(container.info.id, verification_to_json(verification, started_at));
    }
    step.done(recorded
                  ? fmt::format("passed at {} (container unchanged since)", verification.checked_at)
                  : fmt::format("passed in {:.1f} s", seconds_since(check_start)));
    return {};
  }

  const UpPreparation& prepared_;
  const EnvironmentPlan& plan_;
  const UpRequest& request_;
  UpDeps& deps_;
  core::ContainerEngine& engine_;
  UpObserver& observer_;
  UpResult result_;
};

}  // namespace

Result<UpPreparation> prepare_up(const UpRequest& request, UpDeps& deps, UpObserver& observer) {
  UpPreparation prepared;
  core::HostFacts host;
  {
    StepTimer step(observer, prepared.steps, "probe", "probe the host");
    TRY_ASSIGN(host, deps.probe.probe());
    prepared.engine.engine.endpoint = deps.engine.endpoint();
    prepared.engine_is_local = endpoint_is_local(prepared.engine.engine.endpoint);
    step.done(fmt::format("{} GPU(s), driver {}; engine at {}", host.gpus.size(),
                          host.driver_version.value_or("none"), prepared.engine.engine.endpoint));
  }
  {
    StepTimer step(observer, prepared.steps, "plan", "resolve and plan");
    PlanRequest plan_request{
        request.spec,
        std::move(host),
        request.requirements_text,
        "",
        deps.image_maker != nullptr || deps.cloud_build ? deps.engine.endpoint() : "",
        deps.image_maker != nullptr || deps.cloud_build ? deps.push_registry : "",
        static_cast<bool>(deps.cloud_build)};
    prepared.plan = plan_environment(plan_request, deps.kb);
    if (prepared.plan.conflict) {
      step.done("no combination works");
      return prepared;
    }
    const core::Resolution& resolution = *prepared.plan.resolution;
    const std::string framework = resolution.framework == core::Framework::kNone
                                      ? std::string("no framework")
                                      : fmt::format("{} {}", core::to_string(resolution.framework),
                                                    resolution.framework_version);
    step.done(fmt::format("{}{}, image {}", framework, resolution.gpu ? " on GPU" : " on CPU",
                          prepared.plan.image_tag));
  }
  if (prepared.plan.resolution->gpu) {
    // Only a GPU environment needs the engine's runtimes and CDI support (GET /info).
    StepTimer step(observer, prepared.steps, "engine", "check the engine's GPU support");
    TRY_ASSIGN(prepared.engine, describe_engine(deps.engine));
    const GpuSupport& gpu = prepared.engine.gpu;
    step.done(fmt::format("engine {} (API {}): {}", prepared.engine.engine.version,
                          prepared.engine.engine.api_version.str(),
                          gpu.nvidia_runtime ? "nvidia runtime"
                          : gpu.cdi          ? "CDI"
                                             : "no nvidia runtime or CDI seen; trying the nvidia "
                                               "device driver"));
  }
  prepared.gpus = gpu_request_for(prepared.plan, prepared.engine.gpu);

  // What apply_up would find (read-only), for --dry-run and the summary.
  auto image = deps.engine.inspect_image(prepared.plan.image_tag);
  if (!image && image.error().code != ErrorCode::kNotFound) {
    return fail(image.error());
  }
  prepared.image_present = image.has_value();
  const std::string config = container_config_hash(container_inputs(prepared, request));
  TRY_ASSIGN(const auto found,
             deps.engine.list_containers(environment_filter(request.spec.name), true));
  prepared.container_state = "to create";
  for (const auto& summary : found) {
    const auto label = summary.labels.find(labels::kConfig);
    if (label != summary.labels.end() && label->second == config &&
        has_name(summary, prepared.plan.container_name)) {
      prepared.container_state = summary.state == "running" ? "up to date" : "stopped";
      break;
    }
    prepared.container_state = "to replace";
  }
  return prepared;
}

Result<UpResult> apply_up(const UpPreparation& prepared, const UpRequest& request, UpDeps& deps,
                          UpObserver& observer) {
  Applier applier(prepared, request, deps, observer);
  TRY_ASSIGN(UpResult result, applier.run());
  result.steps.insert(result.steps.begin(), prepared.steps.begin(), prepared.steps.end());
  return result;
}

}  // namespace deepdock::app
