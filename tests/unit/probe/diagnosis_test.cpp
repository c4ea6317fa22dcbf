#include "probe/diagnosis.hpp"

#include <gtest/gtest.h>

#include "support/probe_output.hpp"

namespace deepdock::probe {
namespace {

ProbeReport healthy() {
  return testing::probe_report(1, "", true);
}

// Re-diagnoses a report after a test broke one link of it.
ProbeReport rediagnosed(ProbeReport report, bool expect_gpu = true) {
  report.problems.clear();
  diagnose(report, expect_gpu);
  return report;
}

const Problem& first_error(const ProbeReport& report) {
  for (const Problem& problem : report.problems) {
    if (problem.severity == Severity::kError) {
      return problem;
    }
  }
  static const Problem kNone{Severity::kInfo, "no error", ""};
  return kNone;
}

TEST(DiagnosisTest, AWorkingChainIsReadyWithNoErrors) {
  const ProbeReport report = healthy();
  EXPECT_EQ(report.verdict, Verdict::kGpuReady);
  EXPECT_EQ(first_error(report).what, "no error");
}

TEST(DiagnosisTest, NoDeviceNodesIsNoGpuAndAnErrorOnlyWhenAGpuIsExpected) {
  ProbeReport report = testing::probe_report(0, "", false);
  EXPECT_EQ(report.verdict, Verdict::kNoGpu);
  EXPECT_EQ(first_error(report).what, "no error");
  report = rediagnosed(report, true);
  EXPECT_EQ(report.verdict, Verdict::kNoGpu);
  EXPECT_NE(first_error(report).what.find("no /dev/nvidia* device nodes"), std::string::npos);
  EXPECT_NE(first_error(report).fix.find("deepdock doctor"), std::string::npos);
}

TEST(DiagnosisTest, AMissingUvmNodeIsTheCauseAndNamesTheModprobeFix) {
  ProbeReport report = healthy();
  report.nodes.uvm = false;
  report.cuda.error = {"cuInit", 999, "CUDA_ERROR_UNKNOWN", "unknown error"};
  report.cuda.kernel = {};
  report = rediagnosed(report);
  EXPECT_EQ(report.verdict, Verdict::kGpuBroken);
  EXPECT_NE(first_error(report).what.find("nvidia-uvm is missing"), std::string::npos);
  EXPECT_NE(first_error(report).fix.find("nvidia-modprobe -u"), std::string::npos);
  EXPECT_EQ(report.problems.size(), 1U) << "later links are not blamed";
}

TEST(DiagnosisTest, MissingDriverLibrariesPointToTheContainerToolkit) {
  ProbeReport report = healthy();
  report.nvml.library = {.soname = "libnvidia-ml.so.1", .error = "cannot open shared object"};
  report.cuda = {};
  report = rediagnosed(report);
  EXPECT_NE(first_error(report).what.find("libnvidia-ml.so.1 is not in the container"),
            std::string::npos);
  EXPECT_NE(first_error(report).fix.find("nvidia-ctk runtime configure"), std::string::npos);
}

TEST(DiagnosisTest, DriverLibraryVersionMismatchSaysReboot) {
  ProbeReport report = healthy();
  report.nvml.init = {"nvmlInit_v2", 18, "NVML_ERROR_LIB_RM_VERSION_MISMATCH", ""};
  report = rediagnosed(report);
  EXPECT_NE(first_error(report).what.find("Driver/library version mismatch"), std::string::npos);
  EXPECT_NE(first_error(report).fix.find("reboot"), std::string::npos);
}

TEST(DiagnosisTest, NvmlWithoutLibcudaMeansTheComputeCapabilityWasLeftOut) {
  ProbeReport report = healthy();
  report.cuda.library = {.soname = "libcuda.so.1", .error = "not found"};
  report.cuda.kernel = {};
  report = rediagnosed(report);
  EXPECT_NE(first_error(report).fix.find("NVIDIA_DRIVER_CAPABILITIES=compute,utility"),
            std::string::npos);
}

TEST(DiagnosisTest, ForwardCompatibilityOnAConsumerGpuIsExplained) {
  ProbeReport report = healthy();
  report.cuda.error = {"cuInit", 804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", ""};
  report.cuda.kernel = {};
  report = rediagnosed(report);
  EXPECT_NE(first_error(report).what.find("forward compatibility"), std::string::npos);
}

TEST(DiagnosisTest, AJitFailureQuotesTheCompilerLog) {
  ProbeReport report = healthy();
  report.cuda.error = {"cuModuleLoadDataEx", 222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", ""};
  report.cuda.kernel = {.jit_log = "ptxas fatal: Unsupported .version 6.0"};
  report = rediagnosed(report);
  EXPECT_NE(first_error(report).what.find("ptxas fatal"), std::string::npos);
}

TEST(DiagnosisTest, WrongKernelResultsAreAnErrorWithTheCount) {
  ProbeReport report = healthy();
  report.cuda.kernel.correct = false;
  report.cuda.kernel.mismatches = 3;
  report = rediagnosed(report);
  EXPECT_EQ(report.verdict, Verdict::kGpuBroken);
  EXPECT_NE(first_error(report).what.find("3 of 1048576"), std::string::npos);
}

TEST(DiagnosisTest, ANarrowPcieLinkIsAWarningThatKeepsTheGpuReady) {
  ProbeReport report = healthy();
  report.nvml.gpus[0].pcie_width = 8;
  report.nvml.gpus[0].pcie_max_width = 16;
  report = rediagnosed(report);
  EXPECT_EQ(report.verdict, Verdict::kGpuReady);
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_EQ(report.problems[0].severity, Severity::kWarning);
  EXPECT_NE(report.problems[0].what.find("x8 of x16"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::probe
