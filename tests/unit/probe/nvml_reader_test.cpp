#include "probe/nvml_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fakes/fake_nvml.hpp"

namespace deepdock::probe {
namespace {

using testing::FakeNvml;
using testing::FakeNvmlSystem;

TEST(NvmlReaderTest, ReadsTheDriverAndEveryGpu) {
  FakeNvml fake(testing::fake_h100_and_t4());
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_FALSE(report.init.failed());
  EXPECT_TRUE(report.library.usable());
  EXPECT_EQ(report.driver_version, "550.54.15");
  EXPECT_EQ(report.cuda_driver_version, 12040);
  ASSERT_EQ(report.gpus.size(), 2U);

  const GpuDetails& h100 = report.gpus[0];
  EXPECT_EQ(h100.index, 0U);
  EXPECT_EQ(h100.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(h100.uuid, "GPU-5c6a1c4f-2b7e-8d3a-9f10-4e2b7c8d9a01");
  EXPECT_EQ(h100.pci_bus_id, "00000000:18:00.0");
  EXPECT_EQ(h100.compute_major, 9);
  EXPECT_EQ(h100.compute_minor, 0);
  EXPECT_EQ(h100.memory_total_bytes, 85520809984U);
  EXPECT_EQ(h100.pcie_generation, 5);
  EXPECT_EQ(h100.pcie_width, 16);
  EXPECT_EQ(h100.pcie_max_generation, 5);
  EXPECT_EQ(h100.pcie_max_width, 16);
  EXPECT_EQ(h100.ecc, FeatureState::kOn);
  EXPECT_EQ(h100.mig, FeatureState::kOff);
  EXPECT_TRUE(h100.errors.empty());

  const GpuDetails& t4 = report.gpus[1];
  EXPECT_EQ(t4.index, 1U);
  EXPECT_EQ(t4.name, "Tesla T4");
  EXPECT_EQ(t4.pci_bus_id, "00000000:3B:00.0");
  EXPECT_EQ(t4.compute_major, 7);
  EXPECT_EQ(t4.compute_minor, 5);
  EXPECT_EQ(t4.memory_total_bytes, 15843721216U);
  EXPECT_EQ(t4.pcie_generation, 3);
  EXPECT_EQ(t4.ecc, FeatureState::kOn);
  EXPECT_EQ(t4.mig, FeatureState::kUnsupported);
  EXPECT_TRUE(t4.errors.empty());

  EXPECT_EQ(fake.init_count, 1);
  EXPECT_EQ(fake.shutdown_count, 1);
  EXPECT_EQ(fake.calls.back(), "nvmlShutdown");
}

TEST(NvmlReaderTest, EccNotSupportedIsUnsupportedNotAnError) {
  FakeNvmlSystem system;
  testing::FakeNvmlGpu geforce = testing::fake_t4();
  geforce.name = "NVIDIA GeForce RTX 4090";
  geforce.failures = {{"nvmlDeviceGetEccMode", nvml::kErrorNotSupported},
                      {"nvmlDeviceGetMigMode", nvml::kErrorNotSupported}};
  system.gpus = {geforce};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_EQ(report.gpus.size(), 1U);
  EXPECT_EQ(report.gpus[0].ecc, FeatureState::kUnsupported);
  EXPECT_EQ(report.gpus[0].mig, FeatureState::kUnsupported);
  EXPECT_TRUE(report.gpus[0].errors.empty());
}

TEST(NvmlReaderTest, EccOffIsOffAndMigOnIsOn) {
  FakeNvmlSystem system;
  testing::FakeNvmlGpu gpu = testing::fake_h100();
  gpu.ecc = nvml::kFeatureDisabled;
  gpu.mig = nvml::kMigEnable;
  system.gpus = {gpu};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_EQ(report.gpus.size(), 1U);
  EXPECT_EQ(report.gpus[0].ecc, FeatureState::kOff);
  EXPECT_EQ(report.gpus[0].mig, FeatureState::kOn);
}

TEST(NvmlReaderTest, NotSupportedPcieQueryLeavesTheFieldUnknownWithoutAnError) {
  FakeNvmlSystem system;
  testing::FakeNvmlGpu gpu = testing::fake_h100();
  gpu.failures = {{"nvmlDeviceGetCurrPcieLinkGeneration", nvml::kErrorNotSupported}};
  system.gpus = {gpu};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_EQ(report.gpus.size(), 1U);
  EXPECT_EQ(report.gpus[0].pcie_generation, -1);
  EXPECT_EQ(report.gpus[0].pcie_width, 16);
  EXPECT_TRUE(report.gpus[0].errors.empty());
}

TEST(NvmlReaderTest, InitFailureIsRecordedWithItsNameAndTextAndEndsTheReading) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.init_result = nvml::kErrorDriverNotLoaded;
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_TRUE(report.init.failed());
  EXPECT_EQ(report.init.call, "nvmlInit_v2");
  EXPECT_EQ(report.init.code, 9);
  EXPECT_EQ(report.init.name, "NVML_ERROR_DRIVER_NOT_LOADED");
  EXPECT_EQ(report.init.text, "Driver Not Loaded");
  EXPECT_TRUE(report.gpus.empty());
  EXPECT_EQ(report.driver_version, "");
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"nvmlInit_v2", "nvmlErrorString"}));
}

TEST(NvmlReaderTest, DriverLibraryVersionMismatchIsNamed) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.init_result = nvml::kErrorLibRmVersionMismatch;
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_EQ(report.init.code, 18);
  EXPECT_EQ(report.init.name, "NVML_ERROR_LIB_RM_VERSION_MISMATCH");
  EXPECT_EQ(report.init.text, "Driver/library version mismatch");
}

TEST(NvmlReaderTest, WithoutNvmlErrorStringTheFailureHasANameButNoText) {
  FakeNvmlSystem system;
  system.init_result = nvml::kErrorNoPermission;
  system.missing = {"nvmlErrorString"};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_EQ(report.init.name, "NVML_ERROR_NO_PERMISSION");
  EXPECT_EQ(report.init.text, "");
}

TEST(NvmlReaderTest, UnusableLibraryIsNotCalled) {
  FakeNvml fake(testing::fake_h100_and_t4());
  LibraryStatus missing_init = FakeNvml::usable_library();
  missing_init.missing_symbols = {"nvmlInit_v2"};
  LibraryStatus not_loaded{.soname = "libnvidia-ml.so.1",
                           .error = "libnvidia-ml.so.1: cannot open shared object file"};

  const NvmlReport lacking = read_nvml(fake.api(), missing_init);
  const NvmlReport absent = read_nvml(probe::NvmlApi{}, not_loaded);

  EXPECT_TRUE(fake.calls.empty());
  EXPECT_EQ(lacking.library.missing_symbols, std::vector<std::string>{"nvmlInit_v2"});
  EXPECT_EQ(absent.library.error, "libnvidia-ml.so.1: cannot open shared object file");
  EXPECT_FALSE(absent.init.failed());
  EXPECT_TRUE(absent.gpus.empty());
}

TEST(NvmlReaderTest, MissingOptionalFunctionsLeaveFieldsUnknownWithoutErrors) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.missing = {"nvmlSystemGetCudaDriverVersion",
                    "nvmlDeviceGetPciInfo_v3",
                    "nvmlDeviceGetCudaComputeCapability",
                    "nvmlDeviceGetMemoryInfo",
                    "nvmlDeviceGetCurrPcieLinkGeneration",
                    "nvmlDeviceGetCurrPcieLinkWidth",
                    "nvmlDeviceGetMaxPcieLinkGeneration",
                    "nvmlDeviceGetMaxPcieLinkWidth",
                    "nvmlDeviceGetEccMode",
                    "nvmlDeviceGetMigMode"};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_EQ(report.driver_version, "550.54.15");
  EXPECT_EQ(report.cuda_driver_version, 0);
  ASSERT_EQ(report.gpus.size(), 2U);
  const GpuDetails& gpu = report.gpus[0];
  EXPECT_EQ(gpu.name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpu.pci_bus_id, "");
  EXPECT_EQ(gpu.compute_major, -1);
  EXPECT_EQ(gpu.compute_minor, -1);
  EXPECT_EQ(gpu.memory_total_bytes, 0U);
  EXPECT_EQ(gpu.pcie_generation, -1);
  EXPECT_EQ(gpu.pcie_max_width, -1);
  EXPECT_EQ(gpu.ecc, FeatureState::kUnknown);
  EXPECT_EQ(gpu.mig, FeatureState::kUnknown);
  EXPECT_TRUE(gpu.errors.empty());
}

TEST(NvmlReaderTest, FailedQueryIsRecordedAndTheOtherQueriesStillRun) {
  FakeNvmlSystem system;
  testing::FakeNvmlGpu gpu = testing::fake_h100();
  gpu.failures = {{"nvmlDeviceGetMemoryInfo", nvml::kErrorUnknown},
                  {"nvmlDeviceGetEccMode", nvml::kErrorCorruptedInforom}};
  system.gpus = {gpu};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_EQ(report.gpus.size(), 1U);
  const GpuDetails& details = report.gpus[0];
  EXPECT_EQ(details.memory_total_bytes, 0U);
  EXPECT_EQ(details.ecc, FeatureState::kUnknown);
  EXPECT_EQ(details.pcie_generation, 5);
  EXPECT_EQ(details.mig, FeatureState::kOff);
  ASSERT_EQ(details.errors.size(), 2U);
  EXPECT_EQ(details.errors[0].call, "nvmlDeviceGetMemoryInfo");
  EXPECT_EQ(details.errors[0].name, "NVML_ERROR_UNKNOWN");
  EXPECT_EQ(details.errors[0].text, "Unknown Error");
  EXPECT_EQ(details.errors[1].call, "nvmlDeviceGetEccMode");
  EXPECT_EQ(details.errors[1].code, 14);
  EXPECT_EQ(details.errors[1].name, "NVML_ERROR_CORRUPTED_INFOROM");
}

TEST(NvmlReaderTest, LostGpuStillAppearsWithItsError) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.gpus[1].failures = {{"nvmlDeviceGetHandleByIndex_v2", nvml::kErrorGpuIsLost}};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  ASSERT_EQ(report.gpus.size(), 2U);
  EXPECT_EQ(report.gpus[0].name, "NVIDIA H100 80GB HBM3");
  const GpuDetails& lost = report.gpus[1];
  EXPECT_EQ(lost.index, 1U);
  EXPECT_EQ(lost.name, "");
  ASSERT_EQ(lost.errors.size(), 1U);
  EXPECT_EQ(lost.errors[0].call, "nvmlDeviceGetHandleByIndex_v2");
  EXPECT_EQ(lost.errors[0].name, "NVML_ERROR_GPU_IS_LOST");
  EXPECT_EQ(lost.errors[0].text, "GPU is lost");
  EXPECT_EQ(fake.shutdown_count, 1);
}

TEST(NvmlReaderTest, FailedDeviceCountIsRecordedAndNvmlIsStillShutDown) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.failures = {{"nvmlDeviceGetCount_v2", nvml::kErrorUnknown}};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_EQ(report.init.call, "nvmlDeviceGetCount_v2");
  EXPECT_EQ(report.init.name, "NVML_ERROR_UNKNOWN");
  EXPECT_EQ(report.driver_version, "550.54.15");
  EXPECT_TRUE(report.gpus.empty());
  EXPECT_EQ(fake.shutdown_count, 1);
}

TEST(NvmlReaderTest, NoGpusIsAnEmptyListNotAnError) {
  FakeNvml fake(FakeNvmlSystem{});
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_FALSE(report.init.failed());
  EXPECT_TRUE(report.gpus.empty());
  EXPECT_EQ(report.driver_version, "550.54.15");
  EXPECT_EQ(fake.shutdown_count, 1);
}

TEST(NvmlReaderTest, FailedDriverVersionLeavesItEmpty) {
  FakeNvmlSystem system = testing::fake_h100_and_t4();
  system.failures = {{"nvmlSystemGetDriverVersion", nvml::kErrorUnknown},
                     {"nvmlSystemGetCudaDriverVersion", nvml::kErrorLibraryNotFound}};
  FakeNvml fake(system);
  const NvmlReport report = read_nvml(fake.api(), FakeNvml::usable_library());

  EXPECT_EQ(report.driver_version, "");
  EXPECT_EQ(report.cuda_driver_version, 0);
  EXPECT_EQ(report.gpus.size(), 2U);
}

}  // namespace
}  // namespace deepdock::probe
