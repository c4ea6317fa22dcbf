#include "app/verification.hpp"

#include <gtest/gtest.h>

#include "gen/framework_check.hpp"

namespace deepdock::app {
namespace {

core::Resolution resolution(bool gpu) {
  core::Resolution r;
  r.framework = core::Framework::kPytorch;
  r.gpu = gpu;
  return r;
}

std::string line(const std::string& json) {
  return std::string("noise before\n") + gen::kFrameworkCheckMarker + json + "\n";
}

TEST(VerificationTest, AGpuEnvironmentPassesWhenTheOpRanOnTheGpu) {
  const auto v = judge_framework_check(
      resolution(true), 0,
      line(R"({"framework":"pytorch","version":"2.3.1","gpu_count":1,"gpus":["NVIDIA H100"],)"
           R"("device":"cuda:0","value_ok":true,"error":"","seconds":1.5})"),
      "");
  EXPECT_TRUE(v.passed) << v.problem;
  EXPECT_EQ(v.gpus, std::vector<std::string>{"NVIDIA H100"});
  EXPECT_EQ(v.device, "cuda:0");
  EXPECT_DOUBLE_EQ(v.seconds, 1.5);
}

TEST(VerificationTest, AGpuEnvironmentThatSeesNoGpuFailsRatherThanFallBack) {
  const auto v = judge_framework_check(
      resolution(true), 0,
      line(R"({"framework":"pytorch","version":"2.3.1","gpu_count":0,"gpus":[],)"
           R"("device":"cpu","value_ok":true,"error":""})"),
      "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("sees no GPU"), std::string::npos) << v.problem;
  EXPECT_NE(v.problem.find("does not fall back to the CPU"), std::string::npos);
}

TEST(VerificationTest, AGpuEnvironmentWhoseOpRanOnTheCpuFails) {
  const auto v = judge_framework_check(
      resolution(true), 0,
      line(
          R"({"framework":"tensorflow","version":"2.15.1","gpu_count":1,"gpus":["/physical_device:GPU:0"],)"
          R"("device":"/job:localhost/replica:0/task:0/device:CPU:0","value_ok":true,"error":""})"),
      "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("not on the GPU"), std::string::npos) << v.problem;
}

TEST(VerificationTest, TensorflowDeviceNamesCountAsGpu) {
  const auto v = judge_framework_check(
      resolution(true), 0,
      line(
          R"({"framework":"tensorflow","version":"2.15.1","gpu_count":1,"gpus":["g"],)"
          R"("device":"/job:localhost/replica:0/task:0/device:GPU:0","value_ok":true,"error":""})"),
      "");
  EXPECT_TRUE(v.passed) << v.problem;
}

TEST(VerificationTest, ACpuEnvironmentPassesOnTheCpu) {
  const auto v = judge_framework_check(
      resolution(false), 0,
      line(R"({"framework":"pytorch","version":"1.13.1","gpu_count":0,"gpus":[],)"
           R"("device":"cpu","value_ok":true,"error":""})"),
      "");
  EXPECT_TRUE(v.passed) << v.problem;
}

TEST(VerificationTest, AnImportErrorOrAWrongValueFails) {
  const auto broken = judge_framework_check(
      resolution(false), 0,
      line(R"({"framework":"pytorch","version":"","gpu_count":0,"gpus":[],"device":"",)"
           R"("value_ok":false,"error":"ModuleNotFoundError: No module named 'torch'"})"),
      "");
  EXPECT_FALSE(broken.passed);
  EXPECT_NE(broken.problem.find("No module named 'torch'"), std::string::npos);
  const auto wrong = judge_framework_check(
      resolution(false), 0,
      line(R"({"framework":"pytorch","version":"1","gpu_count":0,"gpus":[],"device":"cpu",)"
           R"("value_ok":false,"error":""})"),
      "");
  EXPECT_FALSE(wrong.passed);
  EXPECT_NE(wrong.problem.find("wrong result"), std::string::npos);
}

TEST(VerificationTest, AGpuResultThatDiffersFromTheCpusFails) {
  const auto v = judge_framework_check(
      resolution(true), 0,
      line(R"({"framework":"pytorch","version":"2.3.1","gpu_count":1,"gpus":["H100"],)"
           R"("device":"cuda:0","value_ok":true,"cpu_agrees":false,"error":"",)"
           R"("import_seconds":1.2,"first_op_seconds":0.3})"),
      "");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("differs from the CPU's"), std::string::npos) << v.problem;
  EXPECT_DOUBLE_EQ(v.import_seconds, 1.2);
  EXPECT_DOUBLE_EQ(v.first_op_seconds, 0.3);
}

TEST(VerificationTest, NoResultLineReportsTheExitCodeAndTheErrorTail) {
  const auto v =
      judge_framework_check(resolution(false), 139, "", "line 1\nline 2\nSegmentation fault\n");
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.problem.find("exit code 139"), std::string::npos) << v.problem;
  EXPECT_NE(v.problem.find("Segmentation fault"), std::string::npos) << v.problem;
}

TEST(VerificationTest, TheRecordHoldsOnlyForTheSameStartOfTheContainer) {
  Verification v;
  v.passed = true;
  v.framework = "pytorch";
  v.version = "1.13.1";
  v.device = "cpu";
  v.checked_at = "2026-11-24T16:00:00Z";
  const std::string record = verification_to_json(v, "2026-11-24T15:59:58.1Z");
  const auto same = verification_from_json(record, "2026-11-24T15:59:58.1Z");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->from_record);
  EXPECT_EQ(same->version, "1.13.1");
  EXPECT_FALSE(verification_from_json(record, "2026-11-24T17:00:00Z"));
  EXPECT_FALSE(verification_from_json("not json", "x"));
}

TEST(FrameworkCheckScriptTest, SetsTheFrameworkAndWhereToRun) {
  const std::string script = gen::framework_check_script(core::Framework::kJax, true);
  EXPECT_TRUE(script.starts_with("FRAMEWORK = \"jax\"\nWANT_GPU = True\n")) << script;
  EXPECT_NE(script.find("cpu_agrees"), std::string::npos);
  EXPECT_NE(
      gen::framework_check_script(core::Framework::kTensorflow, false).find("WANT_GPU = False"),
      std::string::npos);
}

}  // namespace
}  // namespace deepdock::app
