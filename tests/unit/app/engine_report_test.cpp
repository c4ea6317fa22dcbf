#include "app/engine_report.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_engine.hpp"

namespace deepdock::app {
namespace {

TEST(EngineReportTest, PlainEngineHasNoGpuSupportAndSaysHowToFixIt) {
  testing::FakeEngine engine;
  const auto report = describe_engine(engine).value();
  EXPECT_FALSE(report.gpu.nvidia_runtime);
  EXPECT_FALSE(report.gpu.cdi);
  ASSERT_EQ(report.gpu.notes.size(), 1U);
  EXPECT_NE(report.gpu.notes[0].find("nvidia-ctk runtime configure"), std::string::npos);
}

TEST(EngineReportTest, NvidiaRuntimeIsDetected) {
  testing::FakeEngine engine;
  engine.engine_info.runtimes = {"nvidia", "runc"};
  const auto report = describe_engine(engine).value();
  EXPECT_TRUE(report.gpu.nvidia_runtime);
  EXPECT_TRUE(report.gpu.notes.empty());
}

TEST(EngineReportTest, PodmanWithoutCdiIsToldToGenerateSpecs) {
  testing::FakeEngine engine;
  engine.engine_info.is_podman = true;
  const auto report = describe_engine(engine).value();
  ASSERT_EQ(report.gpu.notes.size(), 2U);
  EXPECT_NE(report.gpu.notes[1].find("nvidia-ctk cdi generate"), std::string::npos);
}

TEST(EngineReportTest, CdiSpecDirsMeanCdiSupport) {
  testing::FakeEngine engine;
  engine.engine_info.cdi_spec_dirs = {"/etc/cdi", "/var/run/cdi"};
  EXPECT_TRUE(describe_engine(engine).value().gpu.cdi);
}

TEST(EngineReportTest, UnreachableEngineErrorPassesThrough) {
  testing::FakeEngine engine;
  engine.failures["info"] = Error{ErrorCode::kPrecondition, "cannot reach the engine", "start it"};
  const auto report = describe_engine(engine);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().exit_code(), 3);
}

}  // namespace
}  // namespace deepdock::app
