// Scenarios where the GPU, the driver or the CUDA of a build is what decides.

#include <gtest/gtest.h>

#include "unit/core/resolve/resolver_test_support.hpp"

namespace deepdock::core {
namespace {

using namespace resolve_test;  // NOLINT(google-build-using-namespace)

TEST(ResolverTest, K80WithTf215IsRejectedWithAlternatives) {
  const auto out = run(tf("2.15"), managed("Tesla K80"));
  ASSERT_FALSE(out) << dump(out);
  const Conflict& c = out.error();
  const Violation* kernels = violation(c, "compute capability", "sm_37");
  ASSERT_NE(kernels, nullptr) << dump(out);
  EXPECT_TRUE(contains(kernels->detail, "TensorFlow 2.15.0"));
  EXPECT_TRUE(kernels->unverified);  // the 2.15-2.17 list is marked unverified in the data
  EXPECT_NE(violation(c, "cuda", "CUDA 12.2 no longer targets Tesla K80"), nullptr);
  EXPECT_NE(violation(c, "driver", "R470"), nullptr);
  const Alternative* newest = alternative(c, "TensorFlow 2.14.0 runs on this host");
  ASSERT_NE(newest, nullptr) << dump(out);
  EXPECT_EQ(newest->framework_version, "2.14.0");
  const Alternative* gpus = alternative(c, "TensorFlow 2.15.0 runs on");
  ASSERT_NE(gpus, nullptr) << dump(out);
  EXPECT_TRUE(has(gpus->gpus, "Tesla T4"));
  EXPECT_TRUE(has(gpus->gpus, "L4"));
  EXPECT_FALSE(has(gpus->gpus, "Tesla K80"));
  EXPECT_TRUE(has(gpus->gcp_accelerators, "nvidia-tesla-t4"));
  EXPECT_TRUE(has(gpus->gcp_accelerators, "nvidia-l4"));
  EXPECT_FALSE(has(gpus->gcp_accelerators, "nvidia-tesla-k80"));
  EXPECT_TRUE(has_line(c.warnings, "Google Cloud retired the Tesla K80"));
  EXPECT_TRUE(has_line(c.warnings, "unverified"));
}

TEST(ResolverTest, K80GetsTheNewestTensorflowThatRunsOnItWithR470) {
  const auto out = run(tf(), managed("nvidia-tesla-k80"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.14.0");
  EXPECT_EQ(out->cuda, "11.8");
  EXPECT_EQ(out->driver_branch, "R470");
  // R470 runs CUDA 11.8 only through minor-version compatibility.
  EXPECT_EQ(out->min_driver, "450.80.02");
  EXPECT_TRUE(has_line(out->warnings, "minor-version compatibility"));
  EXPECT_TRUE(has_line(out->warnings, "retired"));
  EXPECT_TRUE(contains(reason(*out, "framework")->why, "newest release that runs on this host"));
}

TEST(ResolverTest, T4WithDriver470AndTf215NeedsADriverUpdate) {
  const auto out = run(tf("2.15"), host("Tesla T4", "470.82.01"));
  ASSERT_FALSE(out) << dump(out);
  const Conflict& c = out.error();
  ASSERT_EQ(c.violations.size(), 1U) << dump(out);
  EXPECT_NE(violation(c, "driver", "needs driver 535.54.03 or newer"), nullptr);
  EXPECT_NE(violation(c, "driver", "installed driver is 470.82.01"), nullptr);
  const Alternative* update = alternative(c, "update the NVIDIA driver to branch");
  ASSERT_NE(update, nullptr) << dump(out);
  EXPECT_EQ(update->framework_version, "2.15.0");
  EXPECT_NE(alternative(c, "TensorFlow 2.14.0 runs on this host"), nullptr) << dump(out);
  EXPECT_EQ(alternative(c, "TensorFlow 2.15.0 runs on"), nullptr) << dump(out);  // GPU is fine
}

TEST(ResolverTest, T4WithDriver535RunsTf215WithTheInstalledDriver) {
  const auto out = run(tf("2.15"), host("Tesla T4", "535.104.05"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->min_driver, "535.54.03");
  EXPECT_EQ(out->driver_branch, "");
  EXPECT_EQ(reason(*out, "driver")->choice, "535.104.05");
}

TEST(ResolverTest, DriverBelowTheToolkitButInTheFamilyUsesMinorVersionCompatibility) {
  const auto out = run(tf("2.15"), host("Tesla T4", "530.30.02"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->min_driver, "525.60.13");
  EXPECT_TRUE(has_line(out->warnings, "minor-version compatibility"));
  EXPECT_TRUE(has_line(out->warnings, "535.54.03 or newer gives full support"));
}

TEST(ResolverTest, H100WithTf21HasNoKernelsAndGetsNewerTensorflow) {
  const auto out = run(tf("2.1"), host("NVIDIA H100 80GB HBM3", "550.54.15"));
  ASSERT_FALSE(out) << dump(out);
  const Violation* kernels = violation(out.error(), "compute capability", "sm_90");
  ASSERT_NE(kernels, nullptr) << dump(out);
  EXPECT_TRUE(contains(kernels->detail, "PTX not recorded"));
  EXPECT_TRUE(kernels->unverified);
  // 2.18+ (CUDA 12.5) would need driver 555.42.02 for the PTX JIT an H100 needs.
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.17.0 runs on this host"), nullptr) << dump(out);
  const Alternative* gpus = alternative(out.error(), "TensorFlow 2.1.0 runs on");
  ASSERT_NE(gpus, nullptr) << dump(out);
  EXPECT_TRUE(has(gpus->gpus, "Tesla V100"));
  EXPECT_FALSE(has(gpus->gpus, "H100 80GB"));
}

TEST(ResolverTest, H100RunsTf215OnlyThroughPtxJit) {
  const auto out = run(tf("2.15"), managed("nvidia-h100-80gb"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_TRUE(has_line(out->warnings, "only through PTX JIT"));
  EXPECT_TRUE(contains(reason(*out, "compute capability")->why, "compute_90"));
}

TEST(ResolverTest, PtxJitNeedsTheFullDriverNotMinorVersionCompatibility) {
  // TF 2.16.1 is CUDA 12.3 (driver 545.23.06); 535 is enough for 12.x only without PTX JIT.
  const auto out = run(tf("2.16"), host("H100", "535.104.05"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "driver", "cannot JIT-compile"), nullptr) << dump(out);
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.15.0 runs on this host"), nullptr) << dump(out);
}

TEST(ResolverTest, ManagedDriverIsTheNewestMaintainedLongTermBranch) {
  const auto out = run(tf("2.15"), managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  const DriverBranch* branch = kb().driver_branch(out->driver_branch);
  ASSERT_NE(branch, nullptr);
  EXPECT_EQ(branch->kind, "LTSB");
  EXPECT_GE(branch->eol, kb().snapshot());
  EXPECT_GE(*branch->max_cuda, version_of("12.2"));
  EXPECT_EQ(out->min_driver, "535.54.03");
}

TEST(ResolverTest, VoltaManagedDriverStopsAtR580) {
  const auto out = run(tf(), managed("nvidia-tesla-v100"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.21.0");
  EXPECT_EQ(out->driver_branch, "R580");
}

TEST(ResolverTest, ManagedHostWithAnOldDriverGetsItReplaced) {
  HostFacts h = host("Tesla T4", "470.82.01");
  h.driver_managed = true;
  const auto out = run(tf("2.15"), h);
  ASSERT_TRUE(out) << dump(out);
  EXPECT_FALSE(out->driver_branch.empty());
  EXPECT_TRUE(has_line(out->warnings, "deepdock replaces driver 470.82.01"));
}

TEST(ResolverTest, LocalGpuWithoutADriverIsAConflictNamingTheBranchToInstall) {
  const auto out = run(tf("2.15"), host("Tesla T4", std::nullopt));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "driver", "no NVIDIA driver is installed"), nullptr);
  EXPECT_NE(alternative(out.error(), "update the NVIDIA driver to branch"), nullptr) << dump(out);
}

TEST(ResolverTest, MaxwellGpuWithTf218IsRejectedAndTf217Offered) {
  const auto out = run(tf("2.18"), managed("Tesla M60"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "compute capability", "sm_52"), nullptr);
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.17.0 runs on this host"), nullptr) << dump(out);
}

TEST(ResolverTest, B200NeedsABlackwellDriverAndRunsTensorflowThroughPtx) {
  const auto out = run(tf(), managed("nvidia-b200"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.21.0");
  EXPECT_EQ(out->min_driver, "570.26");  // the driver of CUDA 12.8, the first for Blackwell
  EXPECT_TRUE(has_line(out->warnings, "B200 (sm_100) runs TensorFlow 2.21.0 only through PTX"));
}

TEST(ResolverTest, EveryGpuOfAMixedHostMustRunTheBuild) {
  HostFacts h = managed("Tesla T4");
  h.gpus.push_back({"Tesla K80", "", 0});
  const auto out = run(tf(), h);
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.14.0");
  EXPECT_EQ(out->driver_branch, "R470");
}

TEST(ResolverTest, UnknownGpuWithACapabilityUsesItsArchitecturesFacts) {
  HostFacts h = managed("");
  h.gpus = {{"GeForce GTX 970", "5.2", 4096}};
  const auto out = run(tf(), h);
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.17.0");  // 2.18 dropped sm_50
  EXPECT_EQ(out->driver_branch, "R580");        // Maxwell's last branch
}

TEST(ResolverTest, UnknownGpuWithoutACapabilityIsAConflict) {
  HostFacts h = managed("");
  h.gpus = {{"Mystery Accelerator 9000", "", 0}};
  const auto out = run(tf(), h);
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "compute capability", "Mystery Accelerator 9000"), nullptr);
  EXPECT_NE(alternative(out.error(), "gpu: none"), nullptr);
}

TEST(ResolverTest, P100WarnsOfItsAnnouncedEndOfSupportAsUnverified) {
  const auto out = run(tf("2.15"), managed("nvidia-tesla-p100"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_TRUE(has_line(out->warnings, "end-of-support page for the Tesla P100"));
  EXPECT_TRUE(has_line(out->warnings, "[unverified]"));
}

TEST(ResolverTest, UnverifiedFactsAreFlaggedInReasonsAndWarnings) {
  const auto out = run(tf("2.15"), host("Tesla T4", "550.54.15"));
  ASSERT_TRUE(out) << dump(out);
  const Reason* kernels = reason(*out, "compute capability");
  ASSERT_NE(kernels, nullptr);
  EXPECT_TRUE(kernels->unverified);
  EXPECT_TRUE(contains(kernels->source, "xla_pr_6482"));
  EXPECT_TRUE(has_line(out->warnings, "unverified facts used for compute capability 7.5"));
  EXPECT_FALSE(reason(*out, "cuda")->unverified);
}

}  // namespace
}  // namespace deepdock::core
