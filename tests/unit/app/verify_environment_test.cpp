#include "app/verify_environment.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/environment_labels.hpp"
#include "app/probe_check.hpp"
#include "fakes/fake_engine.hpp"
#include "fakes/fake_state_store.hpp"
#include "support/probe_output.hpp"

namespace deepdock::app {
namespace {

// The probe's report from a container with `gpu_count` GPUs whose PyTorch ran on `device`.
std::string check_line(const std::string& device, int gpu_count, bool expect_gpu = false) {
  return testing::probe_output(gpu_count, testing::pytorch_result(device, gpu_count), expect_gpu);
}

constexpr std::string_view kProbeBinary =
    "\x7f"
    "ELF the probe";

class VerifyEnvironmentTest : public ::testing::Test {
 protected:
  std::string make(bool gpu) {
    const auto id = engine.create_container({.name = "deepdock-a",
                                             .image = "img",
                                             .labels = {{labels::kManaged, "true"},
                                                        {labels::kEnvironment, "a"},
                                                        {labels::kFramework, "pytorch"},
                                                        {"deepdock.gpu", gpu ? "true" : "false"}}});
    EXPECT_TRUE(id);
    EXPECT_TRUE(engine.start_container(*id));
    return *id;
  }
  testing::FakeEngine engine;
  testing::FakeStateStore state;
};

TEST_F(VerifyEnvironmentTest, APassedCheckIsRecordedForThisStartOfTheContainer) {
  const std::string id = make(false);
  std::vector<std::string> ran;
  engine.exec_handler = [&](std::string_view,
                            const core::ExecSpec& spec) -> Result<core::ExecResult> {
    ran = spec.cmd;
    return core::ExecResult{0, check_line("cpu", 0), ""};
  };
  const auto outcome = verify_environment(engine, state, "a", kProbeBinary, "2026-11-24T12:00:00Z");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->verification.passed) << outcome->verification.problem;
  EXPECT_FALSE(outcome->gpu_environment);
  EXPECT_EQ(ran, (std::vector<std::string>{kProbePath, "--json", "--framework-check",
                                           kFrameworkCheckPath}));
  EXPECT_TRUE(state.records.contains(id));
  ASSERT_TRUE(engine.put_files.contains(kProbePath));
  EXPECT_EQ(engine.put_files[kProbePath].first, kProbeBinary);
  EXPECT_EQ(engine.put_files[kProbePath].second, 0755U);
  ASSERT_TRUE(engine.put_files.contains(kFrameworkCheckPath));
  EXPECT_NE(engine.put_files[kFrameworkCheckPath].first.find("FRAMEWORK = \"pytorch\""),
            std::string::npos);
}

TEST_F(VerifyEnvironmentTest, AGpuEnvironmentOnTheCpuFailsAndDropsAnOldRecord) {
  const std::string id = make(true);
  state.records[id] = "an older pass";
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{1, check_line("cpu", 0, true), ""};
  };
  const auto outcome = verify_environment(engine, state, "a", kProbeBinary, "now");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->gpu_environment);
  EXPECT_FALSE(outcome->verification.passed);
  EXPECT_NE(outcome->verification.problem.find("no /dev/nvidia* device nodes"), std::string::npos)
      << outcome->verification.problem;
  EXPECT_FALSE(state.records.contains(id));
}

TEST_F(VerifyEnvironmentTest, AMissingEnvironmentIsNotFound) {
  const auto outcome = verify_environment(engine, state, "nope", kProbeBinary, "now");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace deepdock::app
