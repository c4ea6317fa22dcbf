#include "probe/report_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "probe/report_text.hpp"
#include "support/probe_output.hpp"

namespace deepdock::probe {
namespace {

TEST(ReportJsonTest, AReadyGpuReportCarriesEveryDetail) {
  const auto json =
      nlohmann::json::parse(report_json(testing::probe_report(2, R"({"framework":"jax"})", true)));
  EXPECT_EQ(json["schema"], kReportSchema);
  EXPECT_EQ(json["verdict"], "gpu-ready");
  EXPECT_EQ(json["device_nodes"]["gpus"], (std::vector<std::string>{"nvidia0", "nvidia1"}));
  EXPECT_EQ(json["nvml"]["driver_version"], "550.54.15");
  EXPECT_EQ(json["nvml"]["cuda_driver_version"], "12.4");
  ASSERT_EQ(json["nvml"]["gpus"].size(), 2U);
  const auto& gpu = json["nvml"]["gpus"][1];
  EXPECT_EQ(gpu["compute_capability"], "9.0");
  EXPECT_EQ(gpu["memory_total_bytes"], 85520809984ULL);
  EXPECT_EQ(gpu["pcie"]["generation"], 5);
  EXPECT_EQ(gpu["ecc"], "on");
  EXPECT_EQ(gpu["mig"], "off");
  EXPECT_TRUE(json["nvml"]["error"].is_null());
  EXPECT_EQ(json["cuda"]["kernel"]["correct"], true);
  EXPECT_EQ(json["cuda"]["bandwidth"]["device_to_device_gbps"], 1450);
  EXPECT_EQ(json["framework"]["result"], R"({"framework":"jax"})");
  EXPECT_TRUE(json["problems"].empty());
}

TEST(ReportJsonTest, WithoutAFrameworkCheckFrameworkIsNull) {
  const auto json = nlohmann::json::parse(report_json(testing::probe_report(0, "", false)));
  EXPECT_TRUE(json["framework"].is_null());
  EXPECT_EQ(json["verdict"], "no-gpu");
  ASSERT_EQ(json["problems"].size(), 1U);
  EXPECT_EQ(json["problems"][0]["severity"], "info");
}

TEST(ReportJsonTest, CallErrorsKeepCodeNameAndText) {
  ProbeReport report = testing::probe_report(1, "", true);
  report.cuda.error = {"cuInit", 100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device"};
  const auto json = nlohmann::json::parse(report_json(report));
  EXPECT_EQ(json["cuda"]["error"]["call"], "cuInit");
  EXPECT_EQ(json["cuda"]["error"]["code"], 100);
  EXPECT_EQ(json["cuda"]["error"]["name"], "CUDA_ERROR_NO_DEVICE");
}

TEST(ReportJsonTest, CudaVersionsReadAsMajorDotMinor) {
  EXPECT_EQ(cuda_version_text(12040), "12.4");
  EXPECT_EQ(cuda_version_text(11080), "11.8");
  EXPECT_EQ(cuda_version_text(9020), "9.2");
  EXPECT_EQ(cuda_version_text(0), "");
}

TEST(ReportTextTest, TheSummaryLeadsWithTheVerdictAndListsEachLink) {
  ProbeReport report = testing::probe_report(1, "", true);
  report.framework = {.requested = true, .ran = true, .summary = "pytorch 2.3.1 sees 1 GPU(s)"};
  const std::string text = report_text(report);
  EXPECT_EQ(text.rfind("deepdock-probe: GPU ready", 0), 0U) << text;
  EXPECT_NE(text.find("550.54.15 (CUDA 12.4)"), std::string::npos) << text;
  EXPECT_NE(text.find("NVIDIA H100 80GB HBM3, sm_90, 79.6 GiB, PCIe gen5 x16"), std::string::npos)
      << text;
  EXPECT_NE(text.find("axpy over 1048576 floats"), std::string::npos) << text;
  EXPECT_NE(text.find("device to device 1450.0 GB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("pytorch 2.3.1 sees 1 GPU(s)"), std::string::npos) << text;
}

TEST(ReportTextTest, ProblemsComeWithTheirFixes) {
  ProbeReport report = testing::probe_report(0, "", true);
  const std::string text = report_text(report);
  EXPECT_EQ(text.rfind("deepdock-probe: no GPU", 0), 0U) << text;
  EXPECT_NE(text.find("error: the container has no NVIDIA GPU"), std::string::npos) << text;
  EXPECT_NE(text.find("  fix: "), std::string::npos) << text;
}

}  // namespace
}  // namespace deepdock::probe
