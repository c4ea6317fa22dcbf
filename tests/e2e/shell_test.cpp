// `deepdock shell` for real: with stdin from a pipe, and on a pseudo-terminal the way a
// person uses it, where the container's terminal has the local size and Ctrl-C reaches the
// command running in the container rather than ending deepdock.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// Reads from the pty until `needle` shows up (true) or the time is over (false).
bool read_until(int fd, std::string& seen, const std::string& needle, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (seen.find(needle) == std::string::npos) {
    if (Clock::now() >= deadline) {
      return false;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      std::array<char, 4096> buffer{};
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) {
        return seen.find(needle) != std::string::npos;
      }
      seen.append(buffer.data(), static_cast<size_t>(n));
    }
  }
  return true;
}

void type(int fd, std::string_view text) {
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

TEST(ShellTest, PipedAndOnATerminalWithItsSizeAndCtrlC) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(base_image, "DEEPDOCK_TEST_BASE_IMAGE");
  TempDir dir;
  const E2eEnv e2e = e2e_env(dir.path() / "state", docker_host);
  const std::string name = "e2e-shell-" + unique_suffix();
  const EnvironmentCleanup cleanup(e2e.env, name);
  const fs::path spec = dir.path() / "deepdock.yaml";
  write_file(spec, fmt::format("name: {}\nframework: none\nbase: {}\njupyter: none\n"
                               "tensorboard: false\nnetwork: host\n",
                               name, base_image));
  const BinaryRun up = testing::run_deepdock({"up", "-f", spec.string()}, e2e.env);
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text;

  // stdin from a pipe: the shell reads its commands from it; its exit status comes back.
  int exit_code = -1;
  const std::string out = shell_output(
      fmt::format("printf 'echo hello-$((6*7)) $(id -u); exit 3\\n' | env {} {} {} shell -f {}",
                  util::shell_quote(e2e.env[0]), util::shell_quote(e2e.env[1]), DEEPDOCK_BINARY,
                  util::shell_quote(spec.string())),
      &exit_code);
  EXPECT_EQ(exit_code, 3) << out;
  EXPECT_NE(out.find("hello-42 1000"), std::string::npos) << out;

  // A terminal of 30 rows and 100 columns.
  winsize size{};
  size.ws_row = 30;
  size.ws_col = 100;
  int master = -1;
  const pid_t child = ::forkpty(&master, nullptr, nullptr, &size);
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::setenv("DOCKER_HOST", docker_host.c_str(), 1);
    ::setenv("DEEPDOCK_STATE_DIR", (dir.path() / "state").c_str(), 1);
    ::setenv("TERM", "xterm", 1);
    ::execl(DEEPDOCK_BINARY, DEEPDOCK_BINARY, "shell", "-f", spec.c_str(), nullptr);
    ::_exit(127);
  }
  std::string seen;
  // Like a person: type once the prompt shows (bash -l as the image's user, in /workspace).
  ASSERT_TRUE(read_until(master, seen, "/workspace$ ", std::chrono::seconds(20))) << seen;
  type(master, "stty size; echo size-$((1+1))\n");
  EXPECT_TRUE(read_until(master, seen, "size-2", std::chrono::seconds(20))) << seen;
  EXPECT_NE(seen.find("30 100"), std::string::npos) << seen;

  // Ctrl-C ends the command in the container, not deepdock: the shell goes on.
  type(master, "sleep 60; echo slept\n");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto interrupted = Clock::now();
  type(master, "\x03");
  type(master, "echo after-$((2+2))\n");
  EXPECT_TRUE(read_until(master, seen, "after-4", std::chrono::seconds(20))) << seen;
  EXPECT_LT(Clock::now() - interrupted, std::chrono::seconds(10));
  EXPECT_EQ(seen.find("\nslept"), std::string::npos) << "the sleep ran to its end:\n" << seen;

  // A resize reaches the container's terminal.
  size.ws_row = 40;
  size.ws_col = 120;
  ::ioctl(master, TIOCSWINSZ, &size);
  ::kill(child, SIGWINCH);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  type(master, "stty size; echo resized-$((3+3))\n");
  EXPECT_TRUE(read_until(master, seen, "resized-6", std::chrono::seconds(20))) << seen;
  EXPECT_NE(seen.find("40 120"), std::string::npos) << seen;

  type(master, "exit 4\n");
  read_until(master, seen, "\x04never", std::chrono::seconds(5));
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(master);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 4) << seen;

  EXPECT_EQ(testing::run_deepdock({"down", "--images", "-f", spec.string()}, e2e.env).exit_code, 0);
}

}  // namespace
}  // namespace deepdock::e2e
