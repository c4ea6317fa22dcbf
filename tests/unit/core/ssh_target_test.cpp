#include "core/model/ssh_target.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(SshTargetTest, UserHostAndPortAreRead) {
  const auto target = SshTarget::parse("ssh://whale@203.0.113.7:2222");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->user, "whale");
  EXPECT_EQ(target->host, "203.0.113.7");
  EXPECT_EQ(target->port, 2222);
  EXPECT_EQ(target->url(), "ssh://whale@203.0.113.7:2222");
}

TEST(SshTargetTest, UserAndPortAreOptionalSoSshConfigDecides) {
  const auto target = SshTarget::parse("ssh://gpu-box");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->user, "");
  EXPECT_EQ(target->host, "gpu-box");
  EXPECT_EQ(target->port, 0);
  EXPECT_EQ(target->url(), "ssh://gpu-box");
}

TEST(SshTargetTest, Ipv6AddressesGoInBrackets) {
  const auto target = SshTarget::parse("ssh://root@[2001:db8::1]:22");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->host, "2001:db8::1");
  EXPECT_EQ(target->port, 22);
  EXPECT_EQ(target->url(), "ssh://root@[2001:db8::1]:22");
  EXPECT_EQ(target->slug().find(':'), std::string::npos);
}

TEST(SshTargetTest, MalformedTargetsSayWhatIsWrongAndTheShape) {
  for (const char* bad : {"whale@host", "ssh://", "ssh://host:0", "ssh://host:70000",
                          "ssh://host:22x", "ssh://host:", "ssh://bad user@host",
                          "ssh://-oProxyCommand=evil", "ssh://[::1", "ssh://[::1]x"}) {
    const auto target = SshTarget::parse(bad);
    ASSERT_FALSE(target) << bad;
    EXPECT_EQ(target.error().code, ErrorCode::kInvalidInput) << bad;
    EXPECT_NE(target.error().hint.find("ssh://[user@]host[:port]"), std::string::npos) << bad;
  }
}

TEST(SshTargetTest, SlugsAreFileNamesThatTellTargetsApart) {
  const auto a = SshTarget::parse("ssh://whale@host:22");
  const auto b = SshTarget::parse("ssh://whale@host:2222");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->slug(), b->slug());
  EXPECT_EQ(a->slug().find('/'), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
