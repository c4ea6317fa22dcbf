#include "core/plan/plan.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

std::vector<std::string> ids(const std::vector<PlanStep>& steps) {
  std::vector<std::string> out;
  for (const auto& step : steps) {
    out.push_back(step.id);
  }
  return out;
}

struct Fixture {
  Spec spec;
  HostFacts host;
  Resolution resolution;
  PlanInputs inputs() {
    return {.spec = &spec,
            .host = &host,
            .resolution = &resolution,
            .image_tag = "deepdock/x:0123456789ab",
            .base_image = "tensorflow/tensorflow:2.15.0-gpu-jupyter",
            .container_name = "deepdock-x"};
  }
};

TEST(PlanTest, LocalGpuEnvironmentPullsBuildsRunsAwaitsAndVerifies) {
  Fixture f;
  f.resolution.gpu = true;
  const auto steps = plan_up(f.inputs());
  EXPECT_EQ(ids(steps), (std::vector<std::string>{"probe", "base-image", "build-image", "container",
                                                  "await", "verify"}));
  EXPECT_NE(steps[5].detail.find("on the GPU"), std::string::npos);
}

TEST(PlanTest, DebootstrapBaseIsMadeNotPulled) {
  Fixture f;
  f.resolution.base_kind = BaseKind::kDebootstrap;
  f.resolution.base_image = "debootstrap:bookworm";
  const auto steps = plan_up(f.inputs());
  EXPECT_NE(steps[1].detail.find("debootstrap --variant=minbase bookworm"), std::string::npos);
}

TEST(PlanTest, GcpTargetChecksQuotaCreatesTheVmBootstrapsAndTunnels) {
  Fixture f;
  f.spec.target.kind = TargetKind::kGcp;
  f.resolution.gpu = true;
  f.resolution.driver_branch = "R535";
  const auto steps = plan_up(f.inputs());
  EXPECT_EQ(ids(steps), (std::vector<std::string>{"probe", "gcp-quota", "gcp-instance", "bootstrap",
                                                  "base-image", "build-image", "container",
                                                  "tunnel", "await", "verify"}));
  EXPECT_NE(steps[3].detail.find("R535"), std::string::npos);
}

TEST(PlanTest, NoServicesMeansNoWaitStep) {
  Fixture f;
  f.spec.jupyter = JupyterMode::kNone;
  f.spec.tensorboard = false;
  const auto steps = plan_up(f.inputs());
  EXPECT_EQ(ids(steps), (std::vector<std::string>{"probe", "base-image", "build-image", "container",
                                                  "verify"}));
}

TEST(PlanTest, ContainerHashChangesWithItsConfiguration) {
  Fixture a;
  Fixture b;
  b.spec.ports.jupyter = 9999;
  EXPECT_NE(plan_up(a.inputs())[3].inputs_hash, plan_up(b.inputs())[3].inputs_hash);
  EXPECT_EQ(plan_up(a.inputs())[3].inputs_hash, plan_up(a.inputs())[3].inputs_hash);
}

TEST(PlanTest, ImageTagIsNameAndTwelveHexOfTheContentHash) {
  EXPECT_EQ(image_tag_for("bert", "0123456789abcdef"), "deepdock/bert:0123456789ab");
}

}  // namespace
}  // namespace deepdock::core
