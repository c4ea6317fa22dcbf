#include "cli/gcp_ssh_access.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_state_store.hpp"

namespace deepdock::cli {
namespace {

TEST(GcpSshAccessTest, TheVmUserIsTheLocalOneMadeFitForLinuxNeverRoot) {
  EXPECT_EQ(gcp_ssh_user(std::string("Whale")), "whale");
  EXPECT_EQ(gcp_ssh_user(std::string("ana.maria")), "anamaria");
  EXPECT_EQ(gcp_ssh_user(std::string("root")), "deepdock");
  EXPECT_EQ(gcp_ssh_user(std::string("9lives")), "deepdock");
  EXPECT_EQ(gcp_ssh_user(std::nullopt), "deepdock");
  EXPECT_EQ(gcp_ssh_user(std::string(40, 'a')), "deepdock");
}

TEST(GcpSshAccessTest, TheSshKeysMetadataNamesTheUserAndDropsTheKeysComment) {
  const GcpSshKey key{"/state/gcp/ssh/id_ed25519",
                      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK deepdock"};
  EXPECT_EQ(gcp_ssh_keys_metadata("whale", key),
            "whale:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK whale");
}

TEST(GcpSshAccessTest, TheAddressRecordRoundTripsAndIsForgotten) {
  testing::FakeStateStore state;
  EXPECT_FALSE(recorded_gcp_target(state, "bert").value().has_value());
  const core::SshTarget target{.user = "whale", .host = "203.0.113.9", .port = 0};
  ASSERT_TRUE(record_gcp_target(state, "bert", target).has_value());
  const auto read = recorded_gcp_target(state, "bert");
  ASSERT_TRUE(read.has_value() && read->has_value());
  EXPECT_EQ(**read, target);
  ASSERT_TRUE(forget_gcp_target(state, "bert").has_value());
  EXPECT_FALSE(recorded_gcp_target(state, "bert").value().has_value());
}

}  // namespace
}  // namespace deepdock::cli
