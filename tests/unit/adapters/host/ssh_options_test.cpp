#include "adapters/host/ssh_options.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace deepdock::adapters::host {
namespace {

SshOptions options(const std::string& url) {
  SshOptions o;
  o.target = *core::SshTarget::parse(url);
  o.control_dir = "/state/ssh";
  return o;
}

bool has_option(const std::vector<std::string>& argv, const std::string& option) {
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "-o" && argv[i + 1] == option) {
      return true;
    }
  }
  return false;
}

TEST(SshOptionsTest, EveryConnectionSharesAMasterChecksHostKeysAndNeverPrompts) {
  const auto argv = ssh_argv(options("ssh://whale@203.0.113.7:2222"));
  EXPECT_EQ(argv.front(), "ssh");
  EXPECT_TRUE(has_option(argv, "ControlMaster=auto"));
  EXPECT_TRUE(has_option(argv, "ControlPath=/state/ssh/%C"));
  EXPECT_TRUE(has_option(argv, "ControlPersist=600"));
  EXPECT_TRUE(has_option(argv, "StrictHostKeyChecking=accept-new"));
  EXPECT_TRUE(has_option(argv, "BatchMode=yes"));
  const auto port = std::find(argv.begin(), argv.end(), "-p");
  ASSERT_NE(port, argv.end());
  EXPECT_EQ(*(port + 1), "2222");
  EXPECT_EQ(argv.back(), "whale@203.0.113.7");
}

TEST(SshOptionsTest, WithoutUserOrPortTheUsersConfigDecides) {
  auto o = options("ssh://gpu-box");
  o.config_file = "/tmp/test-ssh-config";
  const auto argv = ssh_argv(o);
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "-p"), argv.end());
  const auto config = std::find(argv.begin(), argv.end(), "-F");
  ASSERT_NE(config, argv.end());
  EXPECT_EQ(*(config + 1), "/tmp/test-ssh-config");
  EXPECT_EQ(argv.back(), "gpu-box");
}

TEST(SshOptionsTest, AHostDeepdockMadeGetsItsKeyAndKnownHostsFile) {
  auto o = options("ssh://deepdock@203.0.113.9");
  const auto plain = ssh_argv(o);
  EXPECT_EQ(std::find(plain.begin(), plain.end(), "-i"), plain.end());
  o.identity_file = "/state/gcp/ssh/id_ed25519";
  o.known_hosts_file = "/state/gcp/known_hosts/203.0.113.9";
  const auto argv = ssh_argv(o);
  const auto identity = std::find(argv.begin(), argv.end(), "-i");
  ASSERT_NE(identity, argv.end());
  EXPECT_EQ(*(identity + 1), "/state/gcp/ssh/id_ed25519");
  EXPECT_TRUE(has_option(argv, "UserKnownHostsFile=/state/gcp/known_hosts/203.0.113.9"));
  EXPECT_TRUE(has_option(argv, "StrictHostKeyChecking=accept-new"));
  EXPECT_EQ(argv.back(), "deepdock@203.0.113.9");
}

TEST(SshOptionsTest, TheRemoteCommandIsOneQuotedLineAfterTheOptions) {
  const auto argv =
      ssh_command_argv(options("ssh://whale@host"), {"printf", "%s\\n", "a b", "it's", "$HOME"});
  ASSERT_GE(argv.size(), 3U);
  EXPECT_EQ(argv[argv.size() - 3], "whale@host");
  EXPECT_EQ(argv[argv.size() - 2], "--");
  EXPECT_EQ(argv.back(), R"(printf '%s\n' 'a b' 'it'\''s' '$HOME')");
}

TEST(SshOptionsTest, ControlOperationsNameTheHostLast) {
  const auto argv = ssh_control_argv(options("ssh://whale@host"), "forward",
                                     {"-L", "/state/ssh/x.sock:/var/run/docker.sock"});
  ASSERT_GE(argv.size(), 5U);
  EXPECT_EQ(argv[argv.size() - 5], "-O");
  EXPECT_EQ(argv[argv.size() - 4], "forward");
  EXPECT_EQ(argv[argv.size() - 2], "/state/ssh/x.sock:/var/run/docker.sock");
  EXPECT_EQ(argv.back(), "whale@host");
}

TEST(SshOptionsTest, EachFailureOfSshSaysWhatToDo) {
  const auto o = options("ssh://whale@gpu-box:22");
  struct Case {
    const char* stderr_text;
    ErrorCode code;
    const char* in_message;
    const char* in_hint;
  };
  const Case cases[] = {
      {"@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.",
       ErrorCode::kPrecondition, "host key", "ssh-keygen -R gpu-box"},
      {"whale@gpu-box: Permission denied (publickey).", ErrorCode::kPrecondition,
       "refused the login", "ssh-copy-id whale@gpu-box"},
      {"ssh: Could not resolve hostname gpu-box: Name or service not known",
       ErrorCode::kPrecondition, "does not resolve", "address"},
      {"ssh: connect to host gpu-box port 22: Connection refused", ErrorCode::kPrecondition,
       "nothing accepts SSH", "sshd"},
      {"ssh: connect to host gpu-box port 22: Connection timed out", ErrorCode::kPrecondition,
       "does not answer", "firewalls"},
      {"kex_exchange_identification: read: Connection reset by peer", ErrorCode::kFailure,
       "ssh to ssh://whale@gpu-box:22 failed", "ssh -v"},
  };
  for (const Case& c : cases) {
    const Error error = ssh_error(o, c.stderr_text);
    EXPECT_EQ(error.code, c.code) << c.stderr_text;
    EXPECT_NE(error.message.find(c.in_message), std::string::npos) << error.message;
    EXPECT_NE(error.hint.find(c.in_hint), std::string::npos) << error.hint;
  }
}

}  // namespace
}  // namespace deepdock::adapters::host
