#include "app/container_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/environment_labels.hpp"
#include "core/spec/spec_parser.hpp"

namespace deepdock::app {
namespace {

EnvironmentPlan offline_plan(core::NetworkMode network) {
  PlanRequest request;
  request.spec = core::default_spec();
  request.spec.name = "demo";
  request.spec.framework = core::Framework::kPytorch;
  request.spec.base = "debootstrap:bookworm";
  request.spec.apt = {"python3-torch", "jupyter-notebook"};
  request.spec.jupyter = core::JupyterMode::kNotebook;
  request.spec.network = network;
  request.spec.ports = {8890, 6007};
  return plan_environment(request, core::KnowledgeBase::embedded());
}

bool has_env(const core::ContainerSpec& spec, const std::string& entry) {
  return std::find(spec.env.begin(), spec.env.end(), entry) != spec.env.end();
}

TEST(ContainerConfigTest, HostNetworkBindsLoopbackOnTheChosenPort) {
  const auto plan = offline_plan(core::NetworkMode::kHost);
  ASSERT_TRUE(plan.resolution) << "the offline spec resolves";
  ContainerInputs inputs{.plan = &plan, .host_network = true};
  const auto spec = container_spec(inputs, {"tok", 8891, 0}, "cfg");
  EXPECT_EQ(spec.network_mode, "host");
  EXPECT_TRUE(spec.ports.empty());
  EXPECT_TRUE(has_env(spec, "DEEPDOCK_BIND_IP=127.0.0.1"));
  EXPECT_TRUE(has_env(spec, "DEEPDOCK_JUPYTER_PORT=8891"));
  EXPECT_TRUE(has_env(spec, "DEEPDOCK_JUPYTER_TOKEN=tok"));
  EXPECT_EQ(spec.labels.at(labels::kJupyterPort), "8891");
  // Debian has no TensorBoard: it is not served, so no port is asked for.
  EXPECT_FALSE(spec.labels.contains(labels::kTensorboardPort));
  EXPECT_TRUE(spec.init);
  ASSERT_TRUE(spec.shm_size_bytes.has_value());
  EXPECT_GE(*spec.shm_size_bytes, int64_t{1} << 30U);
}

TEST(ContainerConfigTest, BridgePublishesOnlyOnTheHostsLoopback) {
  const auto plan = offline_plan(core::NetworkMode::kBridge);
  ContainerInputs inputs{.plan = &plan, .host_network = false};
  const auto spec = container_spec(inputs, {"tok", 9000, 0}, "cfg");
  EXPECT_EQ(spec.network_mode, "");
  ASSERT_EQ(spec.ports.size(), 1U);
  EXPECT_EQ(spec.ports[0].container_port, 8890);
  EXPECT_EQ(spec.ports[0].host_port, 9000);
  EXPECT_EQ(spec.ports[0].host_ip, "127.0.0.1");
  EXPECT_TRUE(has_env(spec, "DEEPDOCK_BIND_IP=0.0.0.0"));
  EXPECT_TRUE(has_env(spec, "DEEPDOCK_JUPYTER_PORT=8890"));
}

TEST(ContainerConfigTest, TheHashIgnoresTokenAndMovedPortsButNotTheUsersChoices) {
  const auto plan = offline_plan(core::NetworkMode::kHost);
  ContainerInputs inputs{.plan = &plan, .host_network = true};
  const std::string base = container_config_hash(inputs);
  EXPECT_EQ(base, container_config_hash(inputs));
  ContainerInputs gpus = inputs;
  gpus.gpus.mode = core::GpuRequest::Mode::kNvidiaDriver;
  EXPECT_NE(container_config_hash(gpus), base);
  ContainerInputs mounts = inputs;
  mounts.mounts.push_back({core::Mount::Type::kBind, "/home/x/work", "/workspace", false});
  EXPECT_NE(container_config_hash(mounts), base);
  ContainerInputs bridge = inputs;
  bridge.host_network = false;
  EXPECT_NE(container_config_hash(bridge), base);
}

TEST(ContainerConfigTest, GpuRequestsAreLabelledInWords) {
  core::GpuRequest none;
  EXPECT_EQ(gpu_words(none), "none");
  core::GpuRequest all{.mode = core::GpuRequest::Mode::kNvidiaDriver};
  EXPECT_EQ(gpu_words(all), "all");
  core::GpuRequest two{.mode = core::GpuRequest::Mode::kNvidiaDriver, .count = 2};
  EXPECT_EQ(gpu_words(two), "2");
  core::GpuRequest cdi{.mode = core::GpuRequest::Mode::kCdi, .device_ids = {"nvidia.com/gpu=all"}};
  EXPECT_EQ(gpu_words(cdi), "nvidia.com/gpu=all");
  EXPECT_EQ(env_value({"A=1", "B=two=2"}, "B"), "two=2");
  EXPECT_EQ(env_value({"A=1"}, "C"), "");
}

}  // namespace
}  // namespace deepdock::app
