#include "probe/framework_runner.hpp"

#include <gtest/gtest.h>

#include "gen/framework_check.hpp"

namespace deepdock::probe {
namespace {

TEST(FrameworkRunnerTest, TheMarkersAreTheOnesTheCheckProgramPrints) {
  EXPECT_EQ(kFrameworkResultMarker, gen::kFrameworkCheckMarker);
  EXPECT_EQ(kFrameworkSummaryMarker, gen::kFrameworkSummaryMarker);
}

TEST(FrameworkRunnerTest, KeepsTheLastResultLineAndTheSummaryOfARealProcess) {
  const FrameworkCheck check = run_framework_check(
      {"sh", "-c",
       "echo 'noise DEEPDOCK_CHECK {\"not\": 1}'; echo 'DEEPDOCK_CHECK {\"old\": 1}';"
       "echo warning >&2; echo 'DEEPDOCK_CHECK {\"framework\": \"pytorch\"}';"
       "echo 'DEEPDOCK_SUMMARY pytorch 2.3 sees 1 GPU(s)'; exit 3"});
  EXPECT_TRUE(check.requested);
  EXPECT_TRUE(check.ran);
  EXPECT_EQ(check.result_json, R"({"framework": "pytorch"})");
  EXPECT_EQ(check.summary, "pytorch 2.3 sees 1 GPU(s)");
  EXPECT_EQ(check.exit_code, 3);
  EXPECT_GT(check.seconds, 0);
}

TEST(FrameworkRunnerTest, AProgramThatPrintsNoResultKeepsTheTailOfItsErrors) {
  const FrameworkCheck check =
      run_framework_check({"sh", "-c",
                           "for i in 1 2 3 4 5 6 7 8 9 10; do echo line$i >&2; done; "
                           "echo 'ModuleNotFoundError: torch' >&2; exit 1"});
  EXPECT_FALSE(check.ran);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_EQ(check.error_tail.find("line1\n"), std::string::npos) << check.error_tail;
  EXPECT_NE(check.error_tail.find("line10\nModuleNotFoundError: torch"), std::string::npos)
      << check.error_tail;
}

TEST(FrameworkRunnerTest, AMissingInterpreterIsExit127WithTheReason) {
  const FrameworkCheck check = run_framework_check({"deepdock-no-such-python3", "check.py"});
  EXPECT_FALSE(check.ran);
  EXPECT_EQ(check.exit_code, 127);
  EXPECT_NE(check.error_tail.find("deepdock-no-such-python3"), std::string::npos);
}

TEST(FrameworkRunnerTest, LargeOutputOnBothStreamsDoesNotDeadlock) {
  const FrameworkCheck check = run_framework_check(
      {"sh", "-c",
       "i=0; while [ $i -lt 3000 ]; do echo 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';"
       " echo 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy' >&2; i=$((i+1)); done;"
       " echo 'DEEPDOCK_CHECK {}'"});
  EXPECT_TRUE(check.ran);
  EXPECT_EQ(check.result_json, "{}");
}

}  // namespace
}  // namespace deepdock::probe
