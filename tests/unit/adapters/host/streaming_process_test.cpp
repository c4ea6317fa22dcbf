#include "adapters/host/streaming_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "util/cancel.hpp"

namespace deepdock::adapters::host {
namespace {

using namespace std::chrono_literals;

// True while `pid` runs (a zombie waiting for its reaper counts as gone).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (running(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST(StreamingProcessTest, HandsOverMergedLinesInOrderAndTheExitCode) {
  std::vector<std::string> lines;
  auto code = run_streaming_process(
      {"sh", "-c", "echo one; echo two >&2; printf 'three\\r\\nfour'; exit 4"},
      [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(code.has_value()) << code.error().message;
  EXPECT_EQ(*code, 4);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three", "four"}));
}

TEST(StreamingProcessTest, LinesArriveWhileTheChildStillRuns) {
  std::vector<std::chrono::steady_clock::time_point> seen;
  auto code = run_streaming_process(
      {"sh", "-c", "echo early; sleep 1; echo late"},
      [&](std::string_view) { seen.push_back(std::chrono::steady_clock::now()); });
  ASSERT_TRUE(code.has_value()) << code.error().message;
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_GE(seen[1] - seen[0], 800ms);
}

TEST(StreamingProcessTest, StdinIsEmpty) {
  std::vector<std::string> lines;
  auto code = run_streaming_process({"sh", "-c", "cat; echo end"},
                                    [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(lines, std::vector<std::string>{"end"});
}

TEST(StreamingProcessTest, MissingProgramIsNotFound) {
  auto code = run_streaming_process({"deepdock-no-such-program"}, {});
  ASSERT_FALSE(code.has_value());
  EXPECT_EQ(code.error().code, ErrorCode::kNotFound);
}

TEST(StreamingProcessTest, CancellationKillsTheWholeProcessGroup) {
  util::reset_cancel();
  pid_t grandchild = -1;
  const auto start = std::chrono::steady_clock::now();
  auto code =
      run_streaming_process({"sh", "-c", "sleep 30 & echo $!; wait"}, [&](std::string_view line) {
        grandchild = std::stoi(std::string(line));
        util::request_cancel();
      });
  util::reset_cancel();
  ASSERT_FALSE(code.has_value());
  EXPECT_EQ(code.error().code, ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(gone_within(grandchild, 2s)) << "the sleep outlived the cancellation";
}

// Forks a stand-in for deepdock that starts `sleep 30` and reports its pid, kills the
// stand-in with SIGKILL, and says whether the sleep died with it.
bool child_dies_with_parent(bool die_with_parent) {
  std::array<int, 2> report{};
  if (::pipe(report.data()) != 0) {
    return false;
  }
  const pid_t stand_in = ::fork();
  if (stand_in == 0) {
    ::close(report[0]);
    (void)run_streaming_process(
        {"sh", "-c", "echo $$; exec sleep 30"},
        [&](std::string_view line) { (void)!::write(report[1], line.data(), line.size()); },
        {.die_with_parent = die_with_parent});
    ::_exit(0);
  }
  ::close(report[1]);
  std::array<char, 32> buffer{};
  const ssize_t got = ::read(report[0], buffer.data(), buffer.size() - 1);
  ::close(report[0]);
  const pid_t sleeper =
      got > 0 ? std::stoi(std::string(buffer.data(), static_cast<size_t>(got))) : -1;
  ::kill(stand_in, SIGKILL);
  ::waitpid(stand_in, nullptr, 0);
  if (sleeper <= 0) {
    return false;
  }
  const bool died = gone_within(sleeper, 3s);
  if (!died) {
    ::kill(sleeper, SIGKILL);
  }
  return died;
}

TEST(StreamingProcessTest, ChildDiesWhenDeepdockIsKilled) {
  EXPECT_TRUE(child_dies_with_parent(true));
}

TEST(StreamingProcessTest, WithoutTheOptionTheChildOutlivesDeepdock) {
  // The control for the test above: the death is the option's doing.
  EXPECT_FALSE(child_dies_with_parent(false));
}

TEST(StreamingProcessTest, FindExecutableSearchesPathThenExtraDirs) {
  EXPECT_EQ(find_executable("sh").value_or("").filename(), "sh");
  EXPECT_EQ(find_executable("/bin/sh"), std::filesystem::path("/bin/sh"));
  EXPECT_EQ(find_executable("deepdock-no-such-program"), std::nullopt);
  EXPECT_EQ(find_executable("/etc/passwd"), std::nullopt);  // not executable
}

}  // namespace
}  // namespace deepdock::adapters::host
