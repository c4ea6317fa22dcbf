#include "app/up_environment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "app/environment_labels.hpp"
#include "core/spec/spec_parser.hpp"
#include "fakes/fake_engine.hpp"
#include "fakes/fake_gpu_probe.hpp"
#include "fakes/fake_rootfs_builder.hpp"
#include "fakes/fake_state_store.hpp"
#include "support/probe_output.hpp"

namespace deepdock::app {
namespace {

using testing::FakeEngine;

// The probe's report from a container with `gpu_count` GPUs whose PyTorch ran its op on the
// GPU or the CPU.
std::string check_output(bool on_gpu, int gpu_count) {
  return testing::probe_output(
      gpu_count, testing::pytorch_result(on_gpu ? "cuda:0" : "cpu", gpu_count), gpu_count > 0);
}

core::Spec offline_spec() {
  core::Spec spec = core::default_spec();
  spec.name = "demo";
  spec.framework = core::Framework::kPytorch;
  spec.base = "debootstrap:bookworm";
  spec.apt = {"python3-torch", "jupyter-notebook"};
  spec.jupyter = core::JupyterMode::kNotebook;
  spec.tensorboard = false;
  spec.network = core::NetworkMode::kHost;
  return spec;
}

core::HostFacts t4_host() {
  core::HostFacts host;
  host.gpus = {{"Tesla T4", "7.5", 15360}};
  host.driver_version = "535.183.01";
  host.origin = "fixture";
  return host;
}

core::Spec gpu_spec() {
  core::Spec spec = core::default_spec();
  spec.name = "gpu";
  spec.framework = core::Framework::kPytorch;
  spec.gpu.mode = core::GpuMode::kRequired;
  spec.jupyter = core::JupyterMode::kNone;
  spec.tensorboard = false;
  spec.network = core::NetworkMode::kHost;
  return spec;
}

class UpEnvironmentTest : public ::testing::Test {
 protected:
  Result<UpResult> up(const core::Spec& spec, const core::HostFacts& host) {
    testing::FakeGpuProbe probe(host);
    UpDeps deps{.engine = engine,
                .probe = probe,
                .rootfs = rootfs,
                .state = state,
                .kb = core::KnowledgeBase::embedded(),
                .local_http_status = [this](uint16_t port, std::string_view) -> Result<int> {
                  asked_ports.push_back(port);
                  return 200;
                },
                .port_free = [this](uint16_t port) { return !busy_ports.contains(port); },
                .now_utc = [] { return std::string("2026-11-24T12:00:00Z"); },
                .image_maker = maker,
                .ship_dir = std::filesystem::temp_directory_path() / "deepdock-up-ship-test",
                .push_registry = push_registry,
                .cloud_build = cloud_build,
                .pull_on_target = pull_on_target};
    request.spec = spec;
    TRY_ASSIGN(prepared, prepare_up(request, deps, observer));
    if (prepared.plan.conflict) {
      return fail(ErrorCode::kIncompatible, "conflict");
    }
    return apply_up(prepared, request, deps, observer);
  }

  size_t count(const std::string& call) const {
    return static_cast<size_t>(std::count(engine.calls.begin(), engine.calls.end(), call));
  }

  FakeEngine engine;
  FakeEngine* maker = nullptr;  // `--ship`: the engine that makes the image
  std::string push_registry;    // with maker: the registry the image goes through
  // `build: cloudbuild` and a target that pulls for itself
  std::function<Result<std::string>(const core::BuildRequest&, const std::string&, UpObserver&)>
      cloud_build;
  std::function<Status(const std::string&)> pull_on_target;
  testing::FakeRootfsBuilder rootfs;
  testing::FakeStateStore state;
  UpObserver observer;
  UpRequest request;
  UpPreparation prepared;
  std::vector<uint16_t> asked_ports;
  std::set<uint16_t> busy_ports;
};

TEST_F(UpEnvironmentTest, OfflineCpuEnvironmentIsMadeStartedAwaitedAndVerified) {
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto result = up(offline_spec(), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(count("import_image"), 1U) << "the debootstrap base was missing";
  EXPECT_EQ(count("build_image"), 1U);
  ASSERT_EQ(engine.created.size(), 1U);
  const core::ContainerSpec& created = engine.created.front();
  EXPECT_EQ(created.name, "deepdock-demo");
  EXPECT_EQ(created.network_mode, "host");
  EXPECT_EQ(created.gpus.mode, core::GpuRequest::Mode::kNone);
  EXPECT_EQ(created.labels.at(labels::kManaged), "true");
  EXPECT_EQ(created.labels.at(labels::kEnvironment), "demo");
  EXPECT_EQ(result->jupyter_port, std::optional<uint16_t>(8888));
  EXPECT_EQ(result->jupyter_mode, "notebook");
  EXPECT_EQ(result->token.size(), 48U);
  EXPECT_EQ(asked_ports, std::vector<uint16_t>{8888});
  EXPECT_TRUE(result->verification.passed);
  EXPECT_FALSE(result->verification.from_record);
  EXPECT_TRUE(std::any_of(result->notes.begin(), result->notes.end(), [](const std::string& n) {
    return n.find("CPU environment") != std::string::npos;
  })) << "a CPU environment says so";
  EXPECT_EQ(state.records.size(), 1U) << "the passed check is recorded";
  std::vector<std::string> ids;
  for (const auto& step : result->steps) {
    ids.push_back(step.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"probe", "plan", "base-image", "build-image",
                                           "container", "await", "verify"}));
}

TEST_F(UpEnvironmentTest, ShippingMakesTheImageHereAndSendsItToTheTargetEngine) {
  FakeEngine here;
  maker = &here;
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto result = up(offline_spec(), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "build_image"), 1);
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "save_image"), 1);
  EXPECT_EQ(count("build_image"), 0U) << "the target engine builds nothing";
  EXPECT_EQ(count("import_image"), 0U);
  EXPECT_EQ(count("load_image"), 1U);
  std::vector<std::string> ids;
  for (const auto& step : result->steps) {
    ids.push_back(step.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"probe", "plan", "base-image", "build-image",
                                           "ship-image", "container", "await", "verify"}));
  const auto planned =
      std::find_if(prepared.plan.steps.begin(), prepared.plan.steps.end(),
                   [](const core::PlanStep& step) { return step.id == "ship-image"; });
  ASSERT_NE(planned, prepared.plan.steps.end()) << "--dry-run shows the shipment";
  EXPECT_NE(planned->title.find("unix:///fake.sock"), std::string::npos) << planned->title;

  // The next `up` finds the image on the target: nothing is made or sent again.
  const auto again = up(offline_spec(), {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "build_image"), 1);
  EXPECT_EQ(count("load_image"), 1U);
}

TEST_F(UpEnvironmentTest, ARegistryCarriesTheImageMadeHereToTheTargetEngine) {
  FakeEngine here;
  maker = &here;
  push_registry = "127.0.0.1:5000/envs/";
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto result = up(offline_spec(), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "build_image"), 1);
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "push_image"), 1);
  EXPECT_EQ(std::count(here.calls.begin(), here.calls.end(), "save_image"), 0);
  EXPECT_EQ(count("pull_image"), 1U);
  EXPECT_EQ(count("build_image"), 0U);
  const std::string pushed = "127.0.0.1:5000/envs/" + result->image_tag.substr(9);
  EXPECT_TRUE(engine.images.contains(pushed)) << "pulled from the registry: " << pushed;
  EXPECT_TRUE(engine.images.contains(result->image_tag)) << "and tagged as the environment's";
  std::vector<std::string> ids;
  for (const auto& step : result->steps) {
    ids.push_back(step.id);
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"probe", "plan", "base-image", "build-image", "push-image",
                                      "pull-image", "container", "await", "verify"}));
  std::vector<std::string> planned;
  for (const auto& step : prepared.plan.steps) {
    planned.push_back(step.id);
  }
  EXPECT_NE(std::find(planned.begin(), planned.end(), "push-image"), planned.end());
  EXPECT_EQ(std::find(planned.begin(), planned.end(), "ship-image"), planned.end());
}

TEST_F(UpEnvironmentTest, CloudBuildMakesTheImageAndTheTargetPullsItItself) {
  push_registry = "127.0.0.1:5000/envs";
  std::vector<std::string> built;
  std::vector<std::string> pulled;
  cloud_build = [&](const core::BuildRequest& context, const std::string& image,
                    UpObserver&) -> Result<std::string> {
    EXPECT_TRUE(context.extra_files.contains("Dockerfile"));
    built.push_back(image);
    return std::string("sha256:") + std::string(64, 'a');
  };
  pull_on_target = [&](const std::string& image) -> Status {
    pulled.push_back(image);
    engine.images[image] = {};  // what the target's own docker pull leaves
    return {};
  };
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  core::Spec spec = offline_spec();
  spec.base = "debian:bookworm";
  const auto result = up(spec, {});
  ASSERT_TRUE(result) << result.error().message;
  const std::string pushed = "127.0.0.1:5000/envs/" + result->image_tag.substr(9);
  EXPECT_EQ(built, std::vector<std::string>{pushed});
  EXPECT_EQ(pulled, std::vector<std::string>{pushed});
  EXPECT_EQ(count("build_image"), 0U);
  EXPECT_EQ(count("pull_image"), 0U) << "the target pulled, not the Engine API";
  EXPECT_TRUE(engine.images.contains(result->image_tag)) << "tagged as the environment's";
  std::vector<std::string> ids;
  for (const auto& step : result->steps) {
    ids.push_back(step.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"probe", "plan", "cloud-build", "pull-image",
                                           "container", "await", "verify"}));
}

TEST_F(UpEnvironmentTest, CloudBuildRefusesADebootstrapBaseItCannotReach) {
  push_registry = "127.0.0.1:5000/envs";
  cloud_build = [](const core::BuildRequest&, const std::string&,
                   UpObserver&) -> Result<std::string> {
    ADD_FAILURE() << "nothing may be built";
    return std::string();
  };
  const auto result = up(offline_spec(), {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(result.error().message.find("debootstrap"), std::string::npos);
}

TEST_F(UpEnvironmentTest, ASecondUpChangesNothingAndReusesTheCheck) {
  int execs = 0;
  engine.exec_handler = [&](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    ++execs;
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto first = up(offline_spec(), {});
  ASSERT_TRUE(first) << first.error().message;
  engine.calls.clear();
  const auto second = up(offline_spec(), {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->container_id, first->container_id);
  EXPECT_EQ(second->token, first->token);
  EXPECT_EQ(count("build_image"), 0U);
  EXPECT_EQ(count("create_container"), 0U);
  EXPECT_EQ(count("start_container"), 0U);
  EXPECT_EQ(count("stop_container"), 0U);
  EXPECT_EQ(execs, 1) << "the check is not repeated for an unchanged container";
  EXPECT_TRUE(second->verification.from_record);
  EXPECT_EQ(prepared.container_state, "up to date");
}

TEST_F(UpEnvironmentTest, AStoppedContainerIsStartedNotReplaced) {
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto first = up(offline_spec(), {});
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(engine.stop_container(first->container_id, 1));
  const auto second = up(offline_spec(), {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->container_id, first->container_id);
  EXPECT_EQ(engine.created.size(), 1U);
  EXPECT_FALSE(second->verification.from_record) << "a new start is checked again";
}

TEST_F(UpEnvironmentTest, AChangedConfigurationReplacesTheContainerAndKeepsTheToken) {
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto first = up(offline_spec(), {});
  ASSERT_TRUE(first) << first.error().message;
  request.mounts = {{core::Mount::Type::kBind, "/srv/work", "/workspace", false}};
  const auto second = up(offline_spec(), {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->container_id, first->container_id);
  EXPECT_EQ(second->token, first->token);
  EXPECT_FALSE(engine.containers.contains(first->container_id));
  EXPECT_EQ(engine.containers.size(), 1U);
}

TEST_F(UpEnvironmentTest, AStaleContainerStillBeingRemovedIsWaitedForNotAnError) {
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto first = up(offline_spec(), {});
  ASSERT_TRUE(first) << first.error().message;
  // An interrupted up asked the engine to remove the container; the removal goes on.
  engine.removal_in_progress[first->container_id] = 2;
  request.mounts = {{core::Mount::Type::kBind, "/srv/work", "/workspace", false}};
  const auto second = up(offline_spec(), {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->container_id, first->container_id);
  EXPECT_FALSE(engine.containers.contains(first->container_id));
}

TEST_F(UpEnvironmentTest, ABusyPortMovesToTheNextFreeOneAndSaysSo) {
  busy_ports = {8888, 8889};
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(false, 0), ""};
  };
  const auto result = up(offline_spec(), {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->jupyter_port, std::optional<uint16_t>(8890));
  EXPECT_TRUE(std::any_of(result->notes.begin(), result->notes.end(), [](const std::string& n) {
    return n.find("port 8888 is in use") != std::string::npos;
  }));
}

TEST_F(UpEnvironmentTest, GpusGoThroughTheNvidiaDriverAndTheCheckMustRunOnThem) {
  engine.engine_info.runtimes = {"runc", "nvidia"};
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(true, 1), ""};
  };
  const auto result = up(gpu_spec(), t4_host());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(count("pull_image"), 1U) << "the official base is pulled";
  ASSERT_EQ(engine.created.size(), 1U);
  EXPECT_EQ(engine.created.front().gpus.mode, core::GpuRequest::Mode::kNvidiaDriver);
  EXPECT_EQ(engine.created.front().gpus.count, -1);
  EXPECT_EQ(result->verification.device, "cuda:0");
}

TEST_F(UpEnvironmentTest, CdiEnginesGetCdiDeviceNames) {
  engine.engine_info.cdi_spec_dirs = {"/etc/cdi"};
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_output(true, 1), ""};
  };
  const auto result = up(gpu_spec(), t4_host());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(engine.created.front().gpus.mode, core::GpuRequest::Mode::kCdi);
  EXPECT_EQ(engine.created.front().gpus.device_ids, std::vector<std::string>{"nvidia.com/gpu=all"});
}

TEST_F(UpEnvironmentTest, AGpuEnvironmentThatFallsBackToTheCpuFails) {
  engine.engine_info.runtimes = {"runc", "nvidia"};
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    // The GPU works (the probe's kernel ran on it), and PyTorch ran on the CPU anyway.
    return core::ExecResult{0, check_output(false, 1), ""};
  };
  const auto result = up(gpu_spec(), t4_host());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailure);
  EXPECT_NE(result.error().message.find("not verified"), std::string::npos);
  EXPECT_NE(result.error().message.find("the driver and the GPU work"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(state.records.empty()) << "a failed check is not recorded";
}

TEST_F(UpEnvironmentTest, ABrokenDriverChainFailsUpWithTheProbesDiagnosisAndFix) {
  engine.engine_info.runtimes = {"runc", "nvidia"};
  std::vector<std::string> probe_command;
  engine.exec_handler = [&](std::string_view,
                            const core::ExecSpec& spec) -> Result<core::ExecResult> {
    probe_command = spec.cmd;
    // The GPU was passed in, but the host never loaded nvidia-uvm: CUDA cannot start.
    probe::ProbeReport report =
        testing::probe_report(1, testing::pytorch_result("cpu", 0), /*expect_gpu=*/true);
    report.nodes.uvm = false;
    report.cuda.error = {"cuInit", 999, "CUDA_ERROR_UNKNOWN", ""};
    report.cuda.kernel = {};
    report.problems.clear();
    probe::diagnose(report, true);
    return core::ExecResult{1, probe::report_json(report), ""};
  };
  const auto result = up(gpu_spec(), t4_host());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailure);
  EXPECT_NE(result.error().message.find("/dev/nvidia-uvm is missing"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("nvidia-modprobe -u"), std::string::npos);
  EXPECT_NE(std::find(probe_command.begin(), probe_command.end(), "--expect-gpu"),
            probe_command.end());
  EXPECT_TRUE(state.records.empty());
}

TEST_F(UpEnvironmentTest, AContainerThatCannotStartIsRemoved) {
  engine.start_failure = Error{ErrorCode::kPrecondition, "could not select device driver", "fix"};
  const auto result = up(gpu_spec(), t4_host());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPrecondition);
  EXPECT_TRUE(engine.containers.empty()) << "nothing half-done is left";
}

TEST_F(UpEnvironmentTest, AContainerDeepdockDidNotMakeIsNeverTouched) {
  ASSERT_TRUE(engine.create_container({.name = "deepdock-demo", .image = "someone/else"}));
  const auto result = up(offline_spec(), {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  EXPECT_NE(result.error().hint.find("deepdock never removes"), std::string::npos);
  EXPECT_EQ(count("remove_container"), 0U);
  EXPECT_EQ(engine.containers.size(), 1U);
}

TEST_F(UpEnvironmentTest, GpuRequiredOnACpuHostIsAConflictBeforeAnythingIsMade) {
  auto spec = gpu_spec();
  testing::FakeGpuProbe probe({});
  UpDeps deps{.engine = engine,
              .probe = probe,
              .rootfs = rootfs,
              .state = state,
              .kb = core::KnowledgeBase::embedded(),
              .local_http_status = [](uint16_t, std::string_view) -> Result<int> { return 200; },
              .port_free = [](uint16_t) { return true; },
              .now_utc = [] { return std::string(); }};
  request.spec = spec;
  const auto prepared_up = prepare_up(request, deps, observer);
  ASSERT_TRUE(prepared_up) << prepared_up.error().message;
  ASSERT_TRUE(prepared_up->plan.conflict.has_value());
  EXPECT_EQ(count("build_image") + count("create_container") + count("pull_image"), 0U);
}

}  // namespace
}  // namespace deepdock::app
