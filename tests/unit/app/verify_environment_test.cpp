#include "app/verify_environment.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/environment_labels.hpp"
#include "fakes/fake_engine.hpp"
#include "fakes/fake_state_store.hpp"
#include "gen/framework_check.hpp"

namespace deepdock::app {
namespace {

std::string check_line(const std::string& device, int gpu_count) {
  return std::string(gen::kFrameworkCheckMarker) +
         nlohmann::json{{"framework", "pytorch"},
                        {"version", "2.3.1"},
                        {"gpu_count", gpu_count},
                        {"gpus", nlohmann::json::array()},
                        {"device", device},
                        {"value_ok", true},
                        {"error", ""}}
             .dump() +
         "\n";
}

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
  const auto outcome = verify_environment(engine, state, "a", "2026-11-24T12:00:00Z");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->verification.passed) << outcome->verification.problem;
  EXPECT_FALSE(outcome->gpu_environment);
  ASSERT_FALSE(ran.empty());
  EXPECT_EQ(ran.front(), "python3");
  EXPECT_TRUE(state.records.contains(id));
}

TEST_F(VerifyEnvironmentTest, AGpuEnvironmentOnTheCpuFailsAndDropsAnOldRecord) {
  const std::string id = make(true);
  state.records[id] = "an older pass";
  engine.exec_handler = [](std::string_view, const core::ExecSpec&) -> Result<core::ExecResult> {
    return core::ExecResult{0, check_line("cpu", 0), ""};
  };
  const auto outcome = verify_environment(engine, state, "a", "now");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->gpu_environment);
  EXPECT_FALSE(outcome->verification.passed);
  EXPECT_NE(outcome->verification.problem.find("sees no GPU"), std::string::npos);
  EXPECT_FALSE(state.records.contains(id));
}

TEST_F(VerifyEnvironmentTest, AMissingEnvironmentIsNotFound) {
  const auto outcome = verify_environment(engine, state, "nope", "now");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace deepdock::app
