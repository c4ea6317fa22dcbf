// `deepdock up`: probe, resolve, plan, apply, verify the environment on the local engine, on
// an SSH host (bootstrapped where it lacks something, its engine reached over the SSH
// connection, its services tunnelled here), or on a Google Cloud VM deepdock creates (or
// finds, or starts) and then treats as an SSH host; and print where Jupyter and TensorBoard
// answer.
// `--dry-run` prints the steps and what each would do, and changes nothing.
#include <fmt/format.h>

#include <filesystem>

#include "adapters/host/debootstrap_rootfs.hpp"
#include "adapters/host/loopback_port.hpp"
#include "app/plan_environment.hpp"
#include "app/up_environment.hpp"
#include "cli/cloud_builder.hpp"
#include "cli/commands/commands.hpp"
#include "cli/embedded_probe.hpp"
#include "cli/engine_factory.hpp"
#include "cli/gcp_session.hpp"
#include "cli/gcp_vm.hpp"
#include "cli/host_bootstrap.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/local_adapters.hpp"
#include "cli/output/resolution_text.hpp"
#include "cli/output/up_report.hpp"
#include "cli/spec_loader.hpp"
#include "cli/spec_mounts.hpp"
#include "cli/ssh_connection.hpp"
#include "cli/tunnels.hpp"
#include "cli/vm_pull.hpp"

namespace deepdock::cli::commands {
namespace {

struct UpFlags {
  bool dry_run = false;
  bool reverify = false;
  bool ship = false;
  bool spot = false;
  std::string compat_file;
  int timeout_seconds = 300;
};

// A GCP VM with GPUs is made for them: `gpu: auto` there means the GPUs must work, so a VM
// whose driver did not come up fails instead of falling back to the CPU.
core::Spec effective_spec(core::Spec spec) {
  if (spec.target.kind == core::TargetKind::kGcp && spec.target.gcp.count > 0 &&
      spec.gpu.mode == core::GpuMode::kAuto) {
    spec.gpu.mode = core::GpuMode::kRequired;
  }
  return spec;
}

// `up --dry-run` for a VM: what would be created (or reused), then the plan for it as
// `deepdock plan` prints it; nothing is created and no engine is needed.
Status gcp_dry_run(const LoadedSpec& loaded, const core::KnowledgeBase& kb,
                   const GlobalOptions& global) {
  TRY_ASSIGN(auto session, open_gcp_session(loaded.spec, loaded.origin));
  TRY_ASSIGN(GcpVmPreview preview, preview_gcp_vm(*session, loaded.spec, kb));
  app::PlanRequest request{effective_spec(loaded.spec), std::move(preview.facts),
                           loaded.requirements_text, ""};
  const app::EnvironmentPlan plan = app::plan_environment(request, kb);
  if (global.json) {
    nlohmann::json out = plan_to_json(plan, loaded.origin, kb);
    out["vm"] = preview.lines;
    fmt::print("{}\n", out.dump(2));
  } else {
    fmt::print("Google Cloud VM (project {}):\n", session->project);
    for (const std::string& line : preview.lines) {
      fmt::print("  {}\n", line);
    }
    fmt::print("{}", plan_to_text(plan, loaded.origin, false, kb));
  }
  return {};
}

// The facts of an SSH host come from the host itself, read before anything is planned.
class FixedGpuProbe : public core::GpuProbe {
 public:
  explicit FixedGpuProbe(core::HostFacts facts) : facts_(std::move(facts)) {}
  Result<core::HostFacts> probe() override { return facts_; }

 private:
  core::HostFacts facts_;
};

// An SSH target: connected, read, and bootstrapped where it lacks something (one checkpoint
// read per step when it lacks nothing).
Result<core::HostFacts> prepare_ssh_host(adapters::host::SshExecutor& ssh, const core::Spec& spec,
                                         const core::KnowledgeBase& kb, bool quiet, bool dry_run) {
  TRY(ssh.connect());
  TRY_ASSIGN(const core::BootstrapHost read, app::read_bootstrap_host(ssh));
  TRY_ASSIGN(const core::HostFacts facts, remote_host_facts(ssh, read, kb));
  if (!dry_run) {
    TRY_ASSIGN(const std::string branch, driver_branch_for(facts, spec, kb, ""));
    TRY_ASSIGN(const auto results,
               bootstrap_ssh_host(ssh, read, bootstrap_options_for(branch, spec), quiet,
                                  /*recheck=*/false));
    (void)results;
  }
  return facts;
}

// `--ship`: this machine's engine, which makes the image the SSH host's engine receives.
Result<std::unique_ptr<core::ContainerEngine>> shipping_engine(
    const std::optional<core::SshTarget>& target, core::ContainerEngine& remote,
    const std::string& origin) {
  if (!target) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("--ship sends the image to an SSH host, and {} targets this machine", origin),
        "leave out --ship, or set `target: {kind: ssh, host: ssh://user@host}`");
  }
  TRY_ASSIGN(auto local, connect_engine(std::nullopt));
  if (local->endpoint() == remote.endpoint()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("--ship needs an engine on this machine, and DOCKER_HOST is {}",
                            local->endpoint()),
                "unset DOCKER_HOST (or point it at this machine's engine) to ship from here");
  }
  return local;
}

}  // namespace

CommandAction setup_up(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<UpFlags>();
  sub.add_flag("--dry-run", flags->dry_run,
               "Print the steps and what each would do; change nothing");
  sub.add_flag("--reverify", flags->reverify,
               "Run the framework check even when the container passed it since it started");
  sub.add_flag("--ship", flags->ship,
               "SSH target: build the image here and send the host only the layers it lacks "
               "(without it, a spec with `registry` pushes the image there for the host to "
               "pull, and one without builds it on the host)");
  sub.add_flag("--spot", flags->spot,
               "Google Cloud: create the VM as Spot (cheaper; Google may stop it at any time, "
               "and `up` starts it again), as `target.gcp.spot: true` does");
  sub.add_option("--compat", flags->compat_file,
                 "Use this compatibility knowledge base instead of the built-in one");
  sub.add_option("--timeout", flags->timeout_seconds,
                 "Seconds to wait for Jupyter and TensorBoard to answer (default 300)")
      ->check(CLI::Range(1, 3600));
  return [flags, &global]() -> Status {
    TRY_ASSIGN(auto loaded, load_spec(global.spec_file));
    TRY_ASSIGN(const auto kb, load_knowledge_base(flags->compat_file));
    const bool gcp = loaded.spec.target.kind == core::TargetKind::kGcp;
    if (flags->spot) {
      if (!gcp) {
        return fail(ErrorCode::kInvalidInput,
                    fmt::format("--spot asks for a Spot VM on Google Cloud, and {} does not "
                                "target gcp",
                                loaded.origin),
                    "leave out --spot, or set `target: {kind: gcp, ...}`");
      }
      loaded.spec.target.gcp.spot = true;
    }
    if (gcp && flags->dry_run) {
      return gcp_dry_run(loaded, *kb, global);
    }
    TRY_ASSIGN(const auto mounts, spec_mounts(loaded.spec));

    app::UpRequest request;
    request.spec = effective_spec(loaded.spec);
    request.requirements_text = loaded.requirements_text;
    if (!loaded.spec.file.empty()) {
      std::error_code ec;
      request.spec_file = std::filesystem::absolute(loaded.spec.file, ec).lexically_normal();
    }
    request.mounts = mounts;
    request.deepdock_version = DEEPDOCK_VERSION;
    request.reverify = flags->reverify;
    request.ready_timeout = std::chrono::seconds(flags->timeout_seconds);

    std::optional<core::SshTarget> ssh_target;
    std::unique_ptr<adapters::host::SshExecutor> ssh;
    std::unique_ptr<core::GpuProbe> probe;
    std::unique_ptr<GcpSession> gcp_session;
    std::optional<GcpVmReady> vm;
    if (gcp) {
      // The VM first: once it runs, it is an SSH host like any other.
      TRY_ASSIGN(gcp_session, open_gcp_session(loaded.spec, loaded.origin));
      TRY_ASSIGN(vm, bring_up_gcp_vm(*gcp_session, loaded.spec, loaded.origin, *kb,
                                     global.quiet || global.json));
      ssh_target = vm->target;
    } else if (loaded.spec.target.kind == core::TargetKind::kSsh) {
      TRY_ASSIGN(ssh_target, core::SshTarget::parse(loaded.spec.target.host));
    }
    if (ssh_target) {
      ssh = ssh_executor(*ssh_target);
      TRY_ASSIGN(
          core::HostFacts facts,
          prepare_ssh_host(*ssh, request.spec, *kb, global.quiet || global.json, flags->dry_run));
      probe = std::make_unique<FixedGpuProbe>(std::move(facts));
    } else {
      probe = local_gpu_probe();
    }
    TRY_ASSIGN(auto engine, connect_engine(ssh_target));
    // The image of an SSH host is made there, unless it is shipped from here (--ship) or
    // goes through the spec's registry (made here, pushed, pulled there).
    std::unique_ptr<core::ContainerEngine> maker;
    const bool cloud_build = loaded.spec.build == core::BuildMode::kCloudbuild && !flags->ship;
    const bool through_registry =
        ssh_target && !flags->ship && !cloud_build && !loaded.spec.registry.empty();
    if (flags->ship || through_registry) {
      TRY_ASSIGN(maker, shipping_engine(ssh_target, *engine, loaded.origin));
    }
    auto state = local_state_store();
    adapters::host::DebootstrapRootfs rootfs;
    app::UpDeps deps{.engine = *engine,
                     .probe = *probe,
                     .rootfs = rootfs,
                     .state = *state,
                     .kb = *kb,
                     .local_http_status = local_http_status,
                     .port_free = adapters::host::loopback_port_free,
                     .now_utc = now_utc,
                     .probe_binary = embedded_probe(),
                     .image_maker = maker.get(),
                     .ship_dir = std::filesystem::temp_directory_path(),
                     .push_registry = through_registry || cloud_build ? loaded.spec.registry : ""};
    if (cloud_build) {
      // `build: cloudbuild` (the spec allows it only with a gcp target, so a session exists).
      TRY_ASSIGN(deps.cloud_build, cloud_builder(*gcp_session));
    }
    if (vm && !deps.push_registry.empty()) {
      // A VM pulls with its own credential helper where it can.
      TRY_ASSIGN(deps.pull_on_target, vm_pull_for(deps.push_registry, *ssh));
    }
    UpProgressPrinter printer(stderr, global.quiet || global.json);

    TRY_ASSIGN(const app::UpPreparation prepared, app::prepare_up(request, deps, printer));
    if (prepared.plan.conflict) {
      if (global.json) {
        fmt::print("{}\n", plan_to_json(prepared.plan, loaded.origin, *kb).dump(2));
      } else {
        fmt::print("{}", plan_to_text(prepared.plan, loaded.origin, false, *kb));
      }
      Error error{
          ErrorCode::kIncompatible,
          fmt::format("no combination of versions works for {} on this host", loaded.origin),
          "see the conflicts and what would work instead above"};
      error.reported = global.json;
      return fail(std::move(error));
    }
    if (flags->dry_run) {
      if (global.json) {
        fmt::print("{}\n", up_dry_run_json(prepared).dump(2));
      } else {
        fmt::print("{}", up_dry_run_text(prepared));
      }
      return {};
    }
    TRY(create_mount_sources(mounts));
    TRY_ASSIGN(app::UpResult result, app::apply_up(prepared, request, deps, printer));
    if (ssh) {
      TRY(open_tunnels(*ssh, *state, result.jupyter_port, result.tensorboard_port, result.notes));
    }
    if (global.json) {
      nlohmann::json summary = up_summary_json(prepared, result);
      if (vm) {
        summary["vm"] = gcp_vm_json(*vm);
      }
      fmt::print("{}\n", summary.dump(2));
    } else {
      fmt::print("{}{}", vm ? gcp_vm_text(*vm) : "", up_summary_text(prepared, result));
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
