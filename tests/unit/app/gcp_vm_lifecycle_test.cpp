#include "app/gcp_vm_lifecycle.hpp"

#include <gtest/gtest.h>

#include "app/gcp_provision.hpp"
#include "app/gcp_startup_script.hpp"
#include "app/gcp_vm_record.hpp"
#include "unit/app/gcp_test_support.hpp"

namespace deepdock::app {
namespace {

using testing::t4_request;

class GcpVmLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::populate_world(world.cloud);
    ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  }
  void TearDown() override { util::reset_cancel(); }

  core::CloudInstance& vm() { return world.cloud.instances.begin()->second; }

  testing::TestDeps world;
  GcpDeps deps = world.deps();
};

TEST_F(GcpVmLifecycleTest, StopWaitsUntilTerminatedAndKeepsTheRecord) {
  const auto stopped = stop_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->outcome, "stopped");
  EXPECT_EQ(vm().status, "TERMINATED");
  EXPECT_FALSE(world.state.records.empty());
  EXPECT_EQ(stop_gcp_vm("bert", "learning-deeply", deps)->outcome, "already stopped");
}

TEST_F(GcpVmLifecycleTest, DeleteRemovesTheVmAndTheRecord) {
  const auto deleted = delete_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->outcome, "deleted");
  EXPECT_TRUE(world.cloud.instances.empty());
  EXPECT_TRUE(world.state.records.empty());
}

TEST_F(GcpVmLifecycleTest, DeleteOfAVmAlreadyGoneSucceedsWithANote) {
  world.cloud.instances.clear();
  const auto deleted = delete_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->outcome, "already gone");
  ASSERT_EQ(deleted->notes.size(), 1U);
  EXPECT_TRUE(world.state.records.empty());
}

TEST_F(GcpVmLifecycleTest, NeverTouchesAVmWithoutTheManagedLabel) {
  vm().labels.erase("deepdock-managed");
  const auto stopped = stop_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::kPermissionDenied);
  const auto deleted = delete_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(world.cloud.count("stop_instance") + world.cloud.count("delete_instance"), 0);
  EXPECT_EQ(world.cloud.instances.size(), 1U);
}

TEST_F(GcpVmLifecycleTest, DeleteWithALostRecordFindsTheVmByItsLabels) {
  world.state.records.clear();
  const auto deleted = delete_gcp_vm("bert", "learning-deeply", deps);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->outcome, "deleted");
  EXPECT_TRUE(world.cloud.instances.empty());
  EXPECT_EQ(delete_gcp_vm("bert", "learning-deeply", deps)->outcome, "none");
}

TEST_F(GcpVmLifecycleTest, FailedDeleteKeepsTheRecordForTheNextTry) {
  world.cloud.on_call = [&](int index, const std::string& method) {
    if (method == "delete_instance") {
      world.cloud.fail_delete_ops.insert(index);
    }
  };
  ASSERT_FALSE(delete_gcp_vm("bert", "learning-deeply", deps));
  EXPECT_FALSE(world.state.records.empty());
  world.cloud.on_call = nullptr;
  ASSERT_TRUE(delete_gcp_vm("bert", "learning-deeply", deps));
  EXPECT_TRUE(world.cloud.instances.empty());
}

TEST_F(GcpVmLifecycleTest, FindListsDeepdocksVmsOnly) {
  core::CloudInstance theirs;
  theirs.name = "their-vm";
  theirs.zone = "us-west1-a";
  world.cloud.instances["us-west1-a/their-vm"] = theirs;
  const auto found = find_gcp_vms(deps, "learning-deeply");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1U);
  EXPECT_EQ(found->at(0).env, "bert");
  EXPECT_EQ(found->at(0).instance.name, "deepdock-bert");
}

TEST_F(GcpVmLifecycleTest, WaitForRunningTimesOutNamingTheStatus) {
  vm().status = "STAGING";
  const auto running =
      wait_for_running(deps, "learning-deeply", vm().zone, vm().name, std::chrono::seconds(30));
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ErrorCode::kTimeout);
  EXPECT_NE(running.error().message.find("STAGING"), std::string::npos);
}

class StartupScriptTest : public GcpVmLifecycleTest {
 protected:
  Result<StartupScriptResult> follow(std::vector<std::string>& lines) {
    return follow_startup_script(deps,
                                 {.project = "learning-deeply",
                                  .zone = vm().zone,
                                  .name = vm().name,
                                  .timeout = std::chrono::seconds(60)},
                                 [&](std::string_view line) { lines.emplace_back(line); });
  }
};

TEST_F(StartupScriptTest, EndsWhenTheScriptExitsZero) {
  world.cloud.append_serial("boot\nvm runner[1]: startup-script: install dri");
  world.cloud.append_serial("ver\nvm runner[1]: startup-script exit status 0\nlater\n");
  std::vector<std::string> lines;
  const auto result = follow(lines);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(lines.at(1), "vm runner[1]: startup-script: install driver");
  EXPECT_EQ(lines.size(), 3U);
  EXPECT_TRUE(result->notes.empty());
}

TEST_F(StartupScriptTest, FailureCarriesTheLastLines) {
  std::string log;
  for (int i = 0; i < 30; ++i) {
    log += fmt::format("startup-script: step {}\n", i);
  }
  world.cloud.append_serial(log + "Script \"startup-script\" failed with error: exit status 7\n");
  std::vector<std::string> lines;
  const auto result = follow(lines);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailure);
  EXPECT_NE(result.error().message.find("exit status 7"), std::string::npos);
  EXPECT_NE(result.error().message.find("step 29"), std::string::npos);
  EXPECT_EQ(result.error().message.find("step 5\n"), std::string::npos);
}

TEST_F(StartupScriptTest, LostBytesAreNotedAndTimeoutNamesTheLastLine) {
  world.cloud.append_serial("old line\n");
  world.cloud.append_serial("still installing\n");
  world.cloud.serial_buffer_start = 9;
  std::vector<std::string> lines;
  const auto result = follow(lines);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
  EXPECT_NE(result.error().message.find("'still installing'"), std::string::npos);
  EXPECT_EQ(lines, std::vector<std::string>{"still installing"});
}

TEST_F(StartupScriptTest, BytesTheConsoleDroppedAreNoted) {
  world.cloud.append_serial("old line\n");
  world.cloud.append_serial("startup-script exit status 0\n");
  world.cloud.serial_buffer_start = 9;
  std::vector<std::string> lines;
  const auto result = follow(lines);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->notes.size(), 1U);
  EXPECT_NE(result->notes[0].find("9 bytes"), std::string::npos);
  EXPECT_EQ(result->next_offset, 38);
}

}  // namespace
}  // namespace deepdock::app
