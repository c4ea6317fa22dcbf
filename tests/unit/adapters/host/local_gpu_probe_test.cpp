#include "adapters/host/local_gpu_probe.hpp"

#include <gtest/gtest.h>

#include "support/host_fixtures.hpp"

namespace deepdock::adapters::host {
namespace {

using testing::RecordedSmi;

std::filesystem::path fixture(const std::string& name) {
  return testing::host_fixture(name);
}

TEST(LocalGpuProbeTest, HostWithoutNvidiaDevicesHasNoGpusAndNoDriver) {
  RecordedSmi smi;
  const auto facts = LocalGpuProbe(fixture("no-gpu"), smi.runner()).probe().value();
  EXPECT_TRUE(facts.gpus.empty());
  EXPECT_FALSE(facts.driver_version.has_value());
  EXPECT_EQ(facts.os_id, "debian");
  EXPECT_EQ(facts.os_version, "12");
  EXPECT_TRUE(smi.calls.empty()) << "no driver, so nvidia-smi is not asked";
}

TEST(LocalGpuProbeTest, GpuWithoutDriverIsFoundOnPciAndNamedFromPciIds) {
  RecordedSmi smi;
  const auto facts = LocalGpuProbe(fixture("t4-no-driver"), smi.runner()).probe().value();
  ASSERT_EQ(facts.gpus.size(), 1U);
  EXPECT_EQ(facts.gpus[0].name, "TU104GL [Tesla T4]");
  EXPECT_TRUE(facts.gpus[0].compute_capability.empty());
  EXPECT_FALSE(facts.driver_version.has_value());
  EXPECT_EQ(facts.os_id, "ubuntu");
  EXPECT_EQ(facts.os_version, "22.04");
}

TEST(LocalGpuProbeTest, RunningDriverGivesVersionAndNvidiaSmiDetails) {
  RecordedSmi smi;
  smi.answer = {0, "Tesla T4, 7.5, 15360\n", ""};
  const auto facts = LocalGpuProbe(fixture("t4-driver-535"), smi.runner()).probe().value();
  EXPECT_EQ(facts.driver_version.value_or(""), "535.183.01");
  ASSERT_EQ(facts.gpus.size(), 1U);
  EXPECT_EQ(facts.gpus[0].name, "Tesla T4");
  EXPECT_EQ(facts.gpus[0].compute_capability, "7.5");
  EXPECT_EQ(facts.gpus[0].memory_mib, 15360U);
  ASSERT_EQ(smi.calls.size(), 1U);
  EXPECT_EQ(smi.calls[0][0], "nvidia-smi");
}

TEST(LocalGpuProbeTest, FailingNvidiaSmiFallsBackToPciNames) {
  RecordedSmi smi;
  smi.answer = {9, "", "NVIDIA-SMI has failed because it couldn't communicate with the driver"};
  const auto facts = LocalGpuProbe(fixture("t4-driver-535"), smi.runner()).probe().value();
  ASSERT_EQ(facts.gpus.size(), 1U);
  EXPECT_EQ(facts.gpus[0].name, "TU104GL [Tesla T4]") << "from the fixture's pci.ids";
}

TEST(LocalGpuProbeTest, ParsesKernelModuleVersionLines) {
  EXPECT_EQ(LocalGpuProbe::parse_module_version(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar 5 2024"),
            "550.54.15");
  EXPECT_EQ(LocalGpuProbe::parse_module_version(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release"),
            "560.35.03");
  EXPECT_EQ(LocalGpuProbe::parse_module_version("garbage"), "");
}

}  // namespace
}  // namespace deepdock::adapters::host
