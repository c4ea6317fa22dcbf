#include "app/probe_check.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/fake_engine.hpp"
#include "support/probe_output.hpp"

namespace deepdock::app {
namespace {

core::Resolution built_for(core::Framework framework, bool gpu) {
  core::Resolution r;
  r.framework = framework;
  r.gpu = gpu;
  return r;
}

using testing::pytorch_result;

TEST(ProbeCheckTest, AGpuEnvironmentPassesWhenTheKernelAndTheFrameworkRanOnTheGpu) {
  const auto v =
      judge_probe_report(built_for(core::Framework::kPytorch, true), 0,
                         testing::probe_output(1, pytorch_result("cuda:0", 1), true), "");
  EXPECT_TRUE(v.passed) << v.problem;
  EXPECT_EQ(v.device, "cuda:0");
  EXPECT_TRUE(v.native.ran);
  EXPECT_EQ(v.native.verdict, "gpu-ready");
  EXPECT_EQ(v.native.driver_version, "550.54.15");
  EXPECT_EQ(v.native.cuda_driver_version, "12.4");
  ASSERT_EQ(v.native.gpus.size(), 1U);
  EXPECT_EQ(v.native.gpus[0].compute_capability, "9.0");
  EXPECT_EQ(v.native.gpus[0].pcie_generation, 5);
  EXPECT_TRUE(v.native.kernel_correct);
  EXPECT_DOUBLE_EQ(v.native.device_to_device_gbps, 1450);
}

TEST(ProbeCheckTest, ABrokenChainFailsWithTheProbesDiagnosisNotTheFrameworks) {
  probe::ProbeReport report = testing::probe_report(1, pytorch_result("cpu", 0), true);
  report.nodes.uvm = false;
  report.cuda.error = {"cuInit", 999, "CUDA_ERROR_UNKNOWN", ""};
  report.cuda.kernel = {};
  report.problems.clear();
  probe::diagnose(report, true);
  const auto v = judge_probe_report(built_for(core::Framework::kPytorch, true), 1,
                                    probe::report_json(report), "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("/dev/nvidia-uvm is missing"), std::string::npos) << v.problem;
  EXPECT_NE(v.problem.find("fix: on the host: `sudo nvidia-modprobe -u -c=0`"), std::string::npos)
      << v.problem;
  EXPECT_EQ(v.native.verdict, "gpu-broken");
  ASSERT_FALSE(v.native.problems.empty());
  EXPECT_EQ(v.native.problems[0].rfind("error: ", 0), 0U);
}

TEST(ProbeCheckTest, AFrameworkOnTheCpuBesideAWorkingGpuBlamesTheFrameworksBuild) {
  const auto v = judge_probe_report(built_for(core::Framework::kPytorch, true), 0,
                                    testing::probe_output(1, pytorch_result("cpu", 0), true), "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("sees no GPU"), std::string::npos) << v.problem;
  EXPECT_NE(v.problem.find("the driver and the GPU work"), std::string::npos) << v.problem;
}

TEST(ProbeCheckTest, AGpuResultThatDiffersFromTheCpusFails) {
  const auto v =
      judge_probe_report(built_for(core::Framework::kPytorch, true), 0,
                         testing::probe_output(1, pytorch_result("cuda:0", 1, false), true), "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("differs from the CPU's"), std::string::npos) << v.problem;
}

TEST(ProbeCheckTest, ACpuEnvironmentPassesOnTheFrameworkAloneWithoutAGpu) {
  const auto v = judge_probe_report(built_for(core::Framework::kPytorch, false), 0,
                                    testing::probe_output(0, pytorch_result("cpu", 0)), "");
  EXPECT_TRUE(v.passed) << v.problem;
  EXPECT_EQ(v.native.verdict, "no-gpu");
}

TEST(ProbeCheckTest, WithoutAFrameworkTheProbesKernelIsTheOp) {
  const auto gpu = judge_probe_report(built_for(core::Framework::kNone, true), 0,
                                      testing::probe_output(1, "", true), "");
  EXPECT_TRUE(gpu.passed) << gpu.problem;
  EXPECT_EQ(gpu.framework, "none");
  EXPECT_EQ(gpu.device, "gpu");
  EXPECT_EQ(gpu.gpu_count, 1);
  const auto cpu = judge_probe_report(built_for(core::Framework::kNone, false), 0,
                                      testing::probe_output(0, ""), "");
  EXPECT_TRUE(cpu.passed) << cpu.problem;
  EXPECT_EQ(cpu.device, "cpu");
}

TEST(ProbeCheckTest, OutputThatIsNotAReportFailsWithTheErrorsTail) {
  const auto v = judge_probe_report(built_for(core::Framework::kPytorch, false), 126, "",
                                    "exec /tmp/deepdock-probe: exec format error\n");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("printed no report (exit code 126)"), std::string::npos) << v.problem;
  EXPECT_NE(v.problem.find("exec format error"), std::string::npos) << v.problem;
}

TEST(ProbeCheckTest, RunCopiesBothProgramsAndRunsTheProbeWithTheGpuExpectation) {
  testing::FakeEngine engine;
  std::vector<std::string> ran;
  engine.exec_handler = [&](std::string_view,
                            const core::ExecSpec& spec) -> Result<core::ExecResult> {
    ran = spec.cmd;
    return core::ExecResult{0, testing::probe_output(1, pytorch_result("cuda:0", 1), true), ""};
  };
  const auto v = run_probe_check(engine, "c1", built_for(core::Framework::kPytorch, true),
                                 "probe-bytes", "2026-11-24T21:00:00Z");
  EXPECT_TRUE(v.passed) << v.problem;
  EXPECT_EQ(v.checked_at, "2026-11-24T21:00:00Z");
  EXPECT_EQ(ran, (std::vector<std::string>{kProbePath, "--json", "--expect-gpu",
                                           "--framework-check", kFrameworkCheckPath}));
  EXPECT_EQ(engine.put_files[kProbePath], std::make_pair(std::string("probe-bytes"), 0755U));
  EXPECT_NE(engine.put_files[kFrameworkCheckPath].first.find("WANT_GPU = True"), std::string::npos);
}

TEST(ProbeCheckTest, AProbeThatCannotBeCopiedIsAFailedVerificationThatSaysWhy) {
  testing::FakeEngine engine;
  engine.failures["put_file"] = Error{ErrorCode::kNotFound, "no such directory: /tmp"};
  const auto v =
      run_probe_check(engine, "c1", built_for(core::Framework::kNone, false), "bytes", "now");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("could not copy the probe into the container: no such directory"),
            std::string::npos)
      << v.problem;
}

}  // namespace
}  // namespace deepdock::app
