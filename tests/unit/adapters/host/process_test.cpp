#include "adapters/host/process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "util/cancel.hpp"

namespace deepdock::adapters::host {
namespace {

using namespace std::chrono_literals;

TEST(ProcessTest, FeedsStdinToCatAndCapturesItsStdout) {
  auto result = run_process({"cat"}, "hello\nworld", 10s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->stdout_text, "hello\nworld");
  EXPECT_EQ(result->stderr_text, "");
}

TEST(ProcessTest, LargeInputAndOutputDoNotDeadlock) {
  const std::string big(3U << 20U, 'x');  // far beyond a pipe's 64 KiB buffer
  auto result = run_process({"cat"}, big, 30s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->stdout_text.size(), big.size());
  EXPECT_EQ(result->stdout_text, big);
}

TEST(ProcessTest, KeepsStdoutAndStderrApartAndReportsTheExitCode) {
  auto result = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, "", 10s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->stdout_text, "out\n");
  EXPECT_EQ(result->stderr_text, "err\n");
}

TEST(ProcessTest, PassesArgumentsVerbatimWithoutAShell) {
  auto result = run_process({"printf", "%s|", "a b", "$HOME", "'q'"}, "", 10s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->stdout_text, "a b|$HOME|'q'|");
}

TEST(ProcessTest, DeathBySignalIs128PlusTheSignal) {
  auto result = run_process({"sh", "-c", "kill -TERM $$"}, "", 10s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->exit_code, 128 + 15);
}

TEST(ProcessTest, ChildThatNeverReadsStdinDoesNotHurtUs) {
  const std::string big(1U << 20U, 'y');
  auto result = run_process({"true"}, big, 10s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->exit_code, 0);
}

TEST(ProcessTest, TimeoutKillsTheChild) {
  const auto start = std::chrono::steady_clock::now();
  auto result = run_process({"sleep", "30"}, "", 200ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
  EXPECT_NE(result.error().message.find("sleep"), std::string::npos);
  EXPECT_LT(elapsed, 5s);
}

TEST(ProcessTest, GrandchildHoldingThePipesDoesNotKeepUsWaiting) {
  const auto start = std::chrono::steady_clock::now();
  auto result = run_process({"sh", "-c", "sleep 3 & echo done"}, "", 20s);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->stdout_text, "done\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
}

TEST(ProcessTest, ProgramMissingFromPathIsNotFound) {
  auto result = run_process({"deepdock-no-such-program-4711"}, "", 10s);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(result.error().message, "deepdock-no-such-program-4711 not found on PATH");
  EXPECT_FALSE(result.error().hint.empty());
}

TEST(ProcessTest, EmptyArgumentVectorIsInvalid) {
  auto result = run_process({}, "", 1s);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
}

TEST(ProcessTest, CancellationBeforeStartRunsNothing) {
  util::request_cancel();
  auto result = run_process({"true"}, "", 10s);
  util::reset_cancel();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
}

TEST(ProcessTest, CancellationStopsARunningChild) {
  std::thread canceller([] {
    std::this_thread::sleep_for(150ms);
    util::request_cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto result = run_process({"sleep", "30"}, "", 30s);
  canceller.join();
  util::reset_cancel();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace deepdock::adapters::host
