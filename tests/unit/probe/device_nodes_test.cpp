#include "probe/device_nodes.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace deepdock::probe {
namespace {

class DeviceNodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("deepdock-nodes-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "dev");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void touch(const std::string& name) { std::ofstream(root_ / "dev" / name).put('\n'); }
  std::filesystem::path root_;
};

TEST_F(DeviceNodesTest, FindsGpusInNumericOrderAndTheControlAndUvmNodes) {
  for (const char* name : {"nvidia10", "nvidia2", "nvidia0", "nvidiactl", "nvidia-uvm",
                           "nvidia-uvm-tools", "nvidia-modeset", "null", "nvidiaX"}) {
    touch(name);
  }
  std::filesystem::create_directory(root_ / "dev" / "nvidia-caps");
  const DeviceNodes nodes = find_device_nodes(root_.string());
  EXPECT_EQ(nodes.gpus, (std::vector<std::string>{"nvidia0", "nvidia2", "nvidia10"}));
  EXPECT_TRUE(nodes.control);
  EXPECT_TRUE(nodes.uvm);
  EXPECT_TRUE(nodes.uvm_tools);
  EXPECT_TRUE(nodes.caps);
}

TEST_F(DeviceNodesTest, ACpuContainerHasNone) {
  touch("null");
  touch("zero");
  const DeviceNodes nodes = find_device_nodes(root_.string());
  EXPECT_TRUE(nodes.gpus.empty());
  EXPECT_FALSE(nodes.control);
  EXPECT_FALSE(nodes.uvm);
}

TEST_F(DeviceNodesTest, AMissingDevDirectoryIsTheSameAsNoNodes) {
  const DeviceNodes nodes = find_device_nodes((root_ / "nowhere").string());
  EXPECT_TRUE(nodes.gpus.empty());
  EXPECT_FALSE(nodes.control);
}

TEST(DeviceNodesHostTest, TheHealthyHostFixtureShowsItsGpuAndUvm) {
  const DeviceNodes nodes =
      find_device_nodes(std::string(DEEPDOCK_TESTDATA_DIR) + "/hosts/healthy");
  EXPECT_EQ(nodes.gpus, std::vector<std::string>{"nvidia0"});
  EXPECT_TRUE(nodes.uvm);
}

}  // namespace
}  // namespace deepdock::probe
