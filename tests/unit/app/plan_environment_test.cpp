#include "app/plan_environment.hpp"

#include <gtest/gtest.h>

#include "core/spec/spec_parser.hpp"

namespace deepdock::app {
namespace {

PlanRequest t4_request() {
  PlanRequest request;
  request.spec = core::default_spec();
  request.spec.name = "demo";
  request.spec.version = "2.15";
  request.host.gpus = {{"Tesla T4", "7.5", 15360}};
  request.host.driver_version = "535.183.01";
  return request;
}

TEST(PlanEnvironmentTest, ResolvesGeneratesAndNamesTheImageByItsInputs) {
  const auto plan = plan_environment(t4_request(), core::KnowledgeBase::embedded());
  ASSERT_TRUE(plan.resolution.has_value());
  EXPECT_FALSE(plan.conflict.has_value());
  EXPECT_EQ(plan.image_tag, "deepdock/demo:" + plan.content_hash.substr(0, 12));
  EXPECT_EQ(plan.container_name, "deepdock-demo");
  EXPECT_NE(plan.dockerfile.find("FROM "), std::string::npos);
  EXPECT_FALSE(plan.steps.empty());
}

TEST(PlanEnvironmentTest, ChangedRequirementsChangeTheImageTagAndNothingElseDoes) {
  auto request = t4_request();
  request.spec.requirements = "requirements.txt";
  request.requirements_text = "numpy\n";
  const auto first = plan_environment(request, core::KnowledgeBase::embedded());
  const auto again = plan_environment(request, core::KnowledgeBase::embedded());
  request.requirements_text = "numpy\npandas\n";
  const auto changed = plan_environment(request, core::KnowledgeBase::embedded());
  EXPECT_EQ(first.image_tag, again.image_tag);
  EXPECT_NE(first.image_tag, changed.image_tag);
  EXPECT_EQ(first.dockerfile, changed.dockerfile)
      << "the Dockerfile names the file, not its content";
}

TEST(PlanEnvironmentTest, ConflictLeavesNoBuildContext) {
  auto request = t4_request();
  request.spec.gpu.mode = core::GpuMode::kRequired;
  request.host.gpus = {{"Tesla K80", "3.7", 11441}};
  request.host.driver_version = "470.82.01";
  const auto plan = plan_environment(request, core::KnowledgeBase::embedded());
  ASSERT_TRUE(plan.conflict.has_value());
  EXPECT_FALSE(plan.context.has_value());
  EXPECT_TRUE(plan.steps.empty());
}

TEST(PlanEnvironmentTest, DebootstrapBaseMapsToItsEngineImage) {
  EXPECT_EQ(debootstrap_image_name("debootstrap:bookworm"), "deepdock/bookworm:minbase");
}

}  // namespace
}  // namespace deepdock::app
