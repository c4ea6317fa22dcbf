// SshExecutor against the real SSH test host (scripts/test-components.sh: a container with
// Debian's sshd on a loopback port, DEEPDOCK_TEST_SSH_HOST and DEEPDOCK_TEST_SSH_CONFIG):
// argument vectors arrive intact, exit codes and stdin pass, lines stream, connections share
// one master, a unix socket of the host is forwarded, and each way a login fails says why.
#include "adapters/host/ssh_executor.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "support/components.hpp"
#include "util/cancel.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

class SshExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
    DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("deepdock-ssh-it-" + std::to_string(random() % 1000000U));
    fs::create_directories(dir_);
    options_.target = *core::SshTarget::parse(host);
    options_.control_dir = dir_ / "ssh";
    options_.config_file = config;
    options_.persist = std::chrono::seconds(30);
  }
  void TearDown() override {
    if (!dir_.empty()) {
      (void)SshExecutor(options_).disconnect();
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
  }
  fs::path dir_;
  SshOptions options_;
};

TEST_F(SshExecutorTest, ArgumentsArriveIntactAndExitCodesComeBack) {
  SshExecutor ssh(options_);
  ASSERT_TRUE(ssh.connect()) << "connect";
  const auto ran = ssh.run({.argv = {"printf", "%s|", "a b", "it's", "$HOME", "*", "; true"}});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 0) << ran->stderr_text;
  EXPECT_EQ(ran->stdout_text, "a b|it's|$HOME|*|; true|");
  const auto failed = ssh.run({.argv = {"sh", "-c", "echo oops >&2; exit 7"}});
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->exit_code, 7);
  EXPECT_EQ(failed->stderr_text, "oops\n");
}

TEST_F(SshExecutorTest, StdinReachesTheRemoteProgramAndSudoWorksWithoutAPassword) {
  SshExecutor ssh(options_);
  const auto counted = ssh.run({.argv = {"wc", "-l"}, .stdin_data = "one\ntwo\nthree\n"});
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ(counted->stdout_text, "3\n");
  const auto root = ssh.run({.argv = {"sudo", "-n", "id", "-u"}});
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_EQ(root->stdout_text, "0\n") << root->stderr_text;
}

TEST_F(SshExecutorTest, StreamedLinesArriveInOrderWithTheExitCode) {
  SshExecutor ssh(options_);
  std::vector<std::string> lines;
  const auto code = ssh.run_streaming(
      {.argv = {"sh", "-c", "for i in 1 2 3; do echo step $i; done; echo warn >&2; exit 3"}},
      [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(lines, (std::vector<std::string>{"step 1", "step 2", "step 3", "warn"}));
}

TEST_F(SshExecutorTest, CommandsShareOneMasterConnection) {
  SshExecutor ssh(options_);
  ASSERT_TRUE(ssh.connect());
  size_t sockets = 0;
  for (const auto& entry : fs::directory_iterator(options_.control_dir)) {
    sockets += entry.is_socket() ? 1U : 0U;
  }
  EXPECT_EQ(sockets, 1U) << "the master's control socket";
  // The master answers `ssh -O check`, and ten commands over it are quick.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    const auto ran = ssh.run({.argv = {"true"}});
    ASSERT_TRUE(ran && ran->exit_code == 0);
  }
  const auto each = (std::chrono::steady_clock::now() - start) / 10;
  EXPECT_LT(each, std::chrono::milliseconds(500)) << "no new handshake per command";
}

// hold() keeps a session open until Ctrl-C (kCancelled), and the host's side of it ends
// soon after, instead of lingering there.
TEST_F(SshExecutorTest, HoldBlocksUntilCancelledAndLeavesNothingOnTheHost) {
  SshExecutor ssh(options_);
  ASSERT_TRUE(ssh.connect());
  util::reset_cancel();
  const auto start = std::chrono::steady_clock::now();
  std::thread interrupt([] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    util::request_cancel();
  });
  const Status held = ssh.hold();
  interrupt.join();
  util::reset_cancel();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(2))
      << "hold returned before the interrupt";
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, ErrorCode::kCancelled) << held.error().message;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  std::string left;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto ran = ssh.run({.argv = {"sh", "-c", "pgrep -f '[w]hile echo; do sleep 5' || true"}});
    ASSERT_TRUE(ran) << ran.error().message;
    left = ran->stdout_text;
  } while (!left.empty() && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(left, "") << "the held session's loop is still running on the host";
}

TEST_F(SshExecutorTest, AUnixSocketOfTheHostIsForwardedToALocalOne) {
  SshExecutor ssh(options_);
  const std::string remote = "/tmp/deepdock-echo-" + std::to_string(::getpid()) + ".sock";
  // socat answers each connection with what it reads, in the background on the host.
  const auto started = ssh.run({.argv = {"sh", "-c",
                                         "setsid socat UNIX-LISTEN:" + remote +
                                             ",fork EXEC:cat >/dev/null 2>&1 & "
                                             "for i in $(seq 50); do [ -S " +
                                             remote + " ] && exit 0; sleep 0.1; done; exit 1"}});
  ASSERT_TRUE(started && started->exit_code == 0) << "socat did not start";
  const auto local = ssh.forward_socket(remote, "echo");
  ASSERT_TRUE(local) << local.error().message;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", local->c_str());
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
      << local->string();
  const std::string hello = "hello through ssh\n";
  ASSERT_EQ(::write(fd, hello.data(), hello.size()), static_cast<ssize_t>(hello.size()));
  std::string echoed(hello.size(), '\0');
  size_t got = 0;
  while (got < echoed.size()) {
    const ssize_t n = ::read(fd, echoed.data() + got, echoed.size() - got);
    ASSERT_GT(n, 0);
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  EXPECT_EQ(echoed, hello);
  (void)ssh.run(
      {.argv = {"sh", "-c", "pkill -f 'socat UNIX-LISTEN:" + remote + "'; rm -f " + remote}});
}

TEST_F(SshExecutorTest, ARefusedLoginSaysHowToInstallAKey) {
  std::ofstream(dir_ / "no-key-config")
      << "Host *\n  IdentityFile " << (dir_ / "none").string()
      << "\n  IdentitiesOnly yes\n  UserKnownHostsFile " << (dir_ / "known").string() << "\n";
  options_.config_file = (dir_ / "no-key-config").string();
  SshExecutor ssh(options_);
  const auto ran = ssh.run({.argv = {"true"}});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(ran.error().message.find("refused the login"), std::string::npos)
      << ran.error().message;
  EXPECT_NE(ran.error().hint.find("ssh-copy-id"), std::string::npos);
}

TEST_F(SshExecutorTest, AChangedHostKeyIsRefusedWithTheFix) {
  // A known_hosts that remembers another key for this host and port.
  const fs::path other = dir_ / "other_host_key";
  ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N '' -f " + other.string()).c_str()), 0);
  std::ifstream public_key(other.string() + ".pub");
  std::string type;
  std::string key;
  public_key >> type >> key;
  std::ofstream(dir_ / "known") << "[127.0.0.1]:" << options_.target.port << " " << type << " "
                                << key << "\n";
  std::ifstream original(options_.config_file);
  std::string config((std::istreambuf_iterator<char>(original)), std::istreambuf_iterator<char>());
  const size_t at = config.find("UserKnownHostsFile");
  config = config.substr(0, at) + "UserKnownHostsFile " + (dir_ / "known").string() + "\n";
  std::ofstream(dir_ / "changed-config") << config;
  options_.config_file = (dir_ / "changed-config").string();
  SshExecutor ssh(options_);
  const auto ran = ssh.run({.argv = {"true"}});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(ran.error().hint.find("ssh-keygen -R 127.0.0.1"), std::string::npos)
      << ran.error().message << "\n"
      << ran.error().hint;
}

TEST_F(SshExecutorTest, NothingListeningIsAPreconditionNamingThePort) {
  options_.target.port = 1;  // a privileged port nothing here listens on
  SshExecutor ssh(options_);
  const auto ran = ssh.run({.argv = {"true"}});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(ran.error().message.find("nothing accepts SSH connections"), std::string::npos)
      << ran.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::host
