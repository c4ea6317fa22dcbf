#include "core/gcp/machine_match.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(MachineMatchTest, N1IsSizedByTheGpuCount) {
  EXPECT_EQ(match_machine_type("nvidia-tesla-t4", 1, "")->machine_type, "n1-standard-4");
  EXPECT_EQ(match_machine_type("nvidia-tesla-t4", 2, "")->machine_type, "n1-standard-8");
  EXPECT_EQ(match_machine_type("nvidia-tesla-v100", 8, "")->machine_type, "n1-standard-32");
  EXPECT_FALSE(match_machine_type("nvidia-tesla-t4", 1, "")->built_in_gpus);
}

TEST(MachineMatchTest, AcceleratorOptimizedShapesCarryTheirGpus) {
  const std::vector<std::tuple<std::string, int, std::string>> expected = {
      {"nvidia-l4", 1, "g2-standard-4"},         {"nvidia-l4", 2, "g2-standard-24"},
      {"nvidia-l4", 4, "g2-standard-48"},        {"nvidia-l4", 8, "g2-standard-96"},
      {"nvidia-tesla-a100", 1, "a2-highgpu-1g"}, {"nvidia-tesla-a100", 8, "a2-highgpu-8g"},
      {"nvidia-a100-80gb", 2, "a2-ultragpu-2g"}, {"nvidia-h100-80gb", 4, "a3-highgpu-4g"},
  };
  for (const auto& [accelerator, count, machine] : expected) {
    const auto choice = match_machine_type(accelerator, count, "");
    ASSERT_TRUE(choice) << accelerator << " x" << count << ": " << choice.error().message;
    EXPECT_EQ(choice->machine_type, machine);
    EXPECT_TRUE(choice->built_in_gpus);
  }
}

TEST(MachineMatchTest, SpecMachineTypeIsCheckedAgainstTheAccelerator) {
  EXPECT_EQ(match_machine_type("nvidia-tesla-t4", 1, "n1-highmem-8")->machine_type, "n1-highmem-8");
  EXPECT_EQ(match_machine_type("nvidia-l4", 1, "g2-standard-16")->machine_type, "g2-standard-16");
  const auto wrong_family = match_machine_type("nvidia-tesla-t4", 1, "g2-standard-4");
  ASSERT_FALSE(wrong_family);
  EXPECT_EQ(wrong_family.error().code, ErrorCode::kInvalidInput);
  const auto wrong_count = match_machine_type("nvidia-l4", 2, "g2-standard-8");
  ASSERT_FALSE(wrong_count);
  EXPECT_NE(wrong_count.error().hint.find("g2-standard-24"), std::string::npos);
}

TEST(MachineMatchTest, CountTheAcceleratorDoesNotComeInIsRejected) {
  const auto three = match_machine_type("nvidia-tesla-t4", 3, "");
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(three.error().message.find("1, 2, 4"), std::string::npos);
  EXPECT_FALSE(match_machine_type("nvidia-tesla-t4", 8, ""));
}

TEST(MachineMatchTest, UnknownAcceleratorNeedsAnExplicitN1Type) {
  EXPECT_EQ(match_machine_type("nvidia-rtx-pro-6000", 1, "").error().code,
            ErrorCode::kIncompatible);
  EXPECT_EQ(match_machine_type("nvidia-rtx-pro-6000", 1, "n1-standard-4")->machine_type,
            "n1-standard-4");
}

TEST(MachineMatchTest, BuiltInCounts) {
  EXPECT_TRUE(carries_built_in_gpus("a3-highgpu-8g"));
  EXPECT_FALSE(carries_built_in_gpus("n1-standard-4"));
  EXPECT_EQ(built_in_gpu_count("g2-standard-24"), 2);
  EXPECT_EQ(built_in_gpu_count("n1-standard-4"), 0);
}

}  // namespace
}  // namespace deepdock::core

namespace deepdock::core {
namespace {

TEST(MachineMatchTest, TheVcpusOfAPredefinedTypeComeFromItsName) {
  EXPECT_EQ(vcpus_of_machine_type("n1-standard-4"), 4);
  EXPECT_EQ(vcpus_of_machine_type("g2-standard-48"), 48);
  EXPECT_EQ(vcpus_of_machine_type("a2-highgpu-4g"), 48);
  EXPECT_EQ(vcpus_of_machine_type("a3-highgpu-8g"), 208);
  EXPECT_EQ(vcpus_of_machine_type("e2-custom"), 0);
  EXPECT_EQ(vcpus_of_machine_type("plain"), 0);
}

}  // namespace
}  // namespace deepdock::core
