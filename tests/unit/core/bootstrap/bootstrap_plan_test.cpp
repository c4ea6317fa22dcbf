#include "core/bootstrap/bootstrap_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/golden.hpp"
#include "unit/core/bootstrap/bootstrap_test_support.hpp"

namespace deepdock::core {
namespace {

BootstrapHost ubuntu2204_t4() {
  return {.os_id = "ubuntu",
          .os_version = "22.04",
          .codename = "jammy",
          .kernel = "5.15.0-105-generic",
          .user = "whale",
          .gpus = {{.name = "Tesla T4", .compute_capability = "7.5", .memory_mib = 15360}}};
}

BootstrapHost debian12_h100() {
  return {.os_id = "debian",
          .os_version = "12",
          .codename = "bookworm",
          .kernel = "6.1.0-21-cloud-amd64",
          .user = "whale",
          .gpus = {
              {.name = "NVIDIA H100 80GB HBM3", .compute_capability = "9.0", .memory_mib = 81559}}};
}

TEST(BootstrapPlanTest, Ubuntu2204WithAT4MatchesItsGoldenCommands) {
  const auto plan = plan_bootstrap(ubuntu2204_t4(), {.driver_branch = "535"});
  ASSERT_TRUE(plan) << plan.error().message;
  testing::expect_golden("bootstrap/ubuntu2204_t4_r535.txt", bootstrap_plan_text(*plan));
}

TEST(BootstrapPlanTest, Debian12WithAnH100MatchesItsGoldenCommands) {
  const auto plan = plan_bootstrap(debian12_h100(), {.driver_branch = "570"});
  ASSERT_TRUE(plan) << plan.error().message;
  testing::expect_golden("bootstrap/debian12_h100_r570.txt", bootstrap_plan_text(*plan));
}

TEST(BootstrapPlanTest, Ubuntu2204WithAT4AndArtifactRegistryMatchesItsGoldenCommands) {
  const auto plan = plan_bootstrap(
      ubuntu2204_t4(),
      {.driver_branch = "535", .registry = "us-west1-docker.pkg.dev/learning-deeply/envs"});
  ASSERT_TRUE(plan) << plan.error().message;
  testing::expect_golden("bootstrap/ubuntu2204_t4_r535_pkgdev.txt", bootstrap_plan_text(*plan));
}

TEST(BootstrapPlanTest, ACpuHostGetsTheEngineAndNothingOfNvidia) {
  BootstrapHost host = debian12_h100();
  host.gpus.clear();
  host.systemd = false;
  const auto plan = plan_bootstrap(host, {});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(step_ids(*plan),
            (std::vector<std::string>{"docker-engine", "engine-running", "docker-group"}));
  testing::expect_golden("bootstrap/debian12_cpu_no_systemd.txt", bootstrap_plan_text(*plan));
}

TEST(BootstrapPlanTest, GpuStepsComeInTheOrderTheyDependOn) {
  const auto plan = plan_bootstrap(ubuntu2204_t4(), {.driver_branch = "535"});
  ASSERT_TRUE(plan);
  EXPECT_EQ(step_ids(*plan),
            (std::vector<std::string>{"base-packages", "docker-engine", "nvidia-driver",
                                      "hold-packages", "driver-loaded", "container-toolkit",
                                      "engine-config", "engine-running", "docker-group"}));
  const auto loaded = std::find_if(plan->begin(), plan->end(),
                                   [](const BootstrapStep& s) { return s.id == "driver-loaded"; });
  EXPECT_TRUE(loaded->reboots);
}

TEST(BootstrapPlanTest, RootNeedsNoDockerGroup) {
  BootstrapHost host = ubuntu2204_t4();
  host.user = "root";
  const auto plan = plan_bootstrap(host, {.driver_branch = "535"});
  ASSERT_TRUE(plan);
  EXPECT_EQ(std::count_if(plan->begin(), plan->end(),
                          [](const BootstrapStep& s) { return s.id == "docker-group"; }),
            0);
}

TEST(BootstrapPlanTest, AChangedCommandChangesOnlyItsStepsHash) {
  const auto r535 = plan_bootstrap(ubuntu2204_t4(), {.driver_branch = "535"});
  const auto r570 = plan_bootstrap(ubuntu2204_t4(), {.driver_branch = "570"});
  ASSERT_TRUE(r535 && r570);
  ASSERT_EQ(r535->size(), r570->size());
  for (size_t i = 0; i < r535->size(); ++i) {
    const bool driver_step = (*r535)[i].id == "nvidia-driver" || (*r535)[i].id == "hold-packages";
    EXPECT_EQ((*r535)[i].hash != (*r570)[i].hash, driver_step) << (*r535)[i].id;
    EXPECT_EQ((*r535)[i].hash.size(), 16U);
  }
}

TEST(BootstrapPlanTest, AnUnsupportedOsIsIncompatibleAndNamesTheSupportedOnes) {
  BootstrapHost host = ubuntu2204_t4();
  host.os_id = "fedora";
  host.os_version = "40";
  const auto plan = plan_bootstrap(host, {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kIncompatible);
  EXPECT_NE(plan.error().message.find("fedora 40"), std::string::npos);
  EXPECT_NE(plan.error().hint.find("Ubuntu 18.04"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
