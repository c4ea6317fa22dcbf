// PyTorch, JAX, no framework, and Debian's packages on debootstrap bases.

#include <gtest/gtest.h>

#include "unit/core/resolve/resolver_test_support.hpp"

namespace deepdock::core {
namespace {

using namespace resolve_test;  // NOLINT(google-build-using-namespace)

TEST(ResolverTest, A100WithTorch24PicksTheNewestCudaItsDriverRunsFully) {
  const auto out = run(torch("2.4"), host("NVIDIA A100-SXM4-40GB", "550.54.15"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.4");
  EXPECT_EQ(out->cuda, "12.4");
  EXPECT_EQ(out->cudnn, "9.1");
  EXPECT_EQ(out->pip_index_url, "https://download.pytorch.org/whl/cu124");
  EXPECT_EQ(out->framework_package, "torch==2.4.*");
  EXPECT_EQ(out->base_image, "python:3.12-slim");
  EXPECT_EQ(out->python, "3.12");
}

TEST(ResolverTest, A100WithTorch2xAndAnOlderDriverTakesAnOlderCudaVariant) {
  const auto out = run(torch("2.1"), host("A100", "525.60.13"));
  ASSERT_TRUE(out) << dump(out);
  // cu121 needs 530.30.02 (525.60.13 only through minor-version compatibility); cu118 runs
  // fully on 525.
  EXPECT_EQ(out->cuda, "11.8");
  EXPECT_EQ(out->pip_index_url, "https://download.pytorch.org/whl/cu118");
}

TEST(ResolverTest, TorchOnK80FallsBackToTheLastCu118Release) {
  const auto out = run(torch(), host("Tesla K80", "470.82.01"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.7");
  EXPECT_EQ(out->cuda, "11.8");
  EXPECT_TRUE(has_line(out->warnings, "retired"));
}

TEST(ResolverTest, Torch28OnK80IsRejectedBecauseEveryWheelIsCuda12) {
  const auto out = run(torch("2.8"), host("Tesla K80", "470.82.01"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "compute capability", "(cu126) has no kernels for Tesla K80"),
            nullptr)
      << dump(out);
  EXPECT_NE(alternative(out.error(), "PyTorch 2.7 runs on this host"), nullptr) << dump(out);
}

TEST(ResolverTest, PascalNeedsTheCu126WheelsFromTorch27On) {
  const auto out = run(torch("2.9"), host("Tesla P100", "580.65.06"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->cuda, "12.6");
  EXPECT_EQ(out->pip_index_url, "https://download.pytorch.org/whl/cu126");
}

TEST(ResolverTest, TorchReleaseCandidateOnlyWhenTheSpecNamesIt) {
  const auto newest = run(torch(), managed("nvidia-l4"));
  ASSERT_TRUE(newest) << dump(newest);
  EXPECT_EQ(newest->framework_version, "2.13");
  const auto named = run(torch("2.14"), managed("nvidia-l4"));
  ASSERT_TRUE(named) << dump(named);
  EXPECT_EQ(named->framework_version, "2.14");
  EXPECT_TRUE(has_line(named->warnings, "release candidate"));
}

TEST(ResolverTest, TorchWithoutAGpuUsesPlainPypi) {
  const auto out = run(torch("2.1"), no_gpu());
  ASSERT_TRUE(out) << dump(out);
  EXPECT_FALSE(out->gpu);
  EXPECT_TRUE(out->pip_index_url.empty());
  EXPECT_TRUE(out->cuda.empty());
  EXPECT_EQ(out->python, "3.11");
}

TEST(ResolverTest, TorchUnknownVersionIsAConflict) {
  const auto out = run(torch("3.0"), managed("nvidia-l4"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "version", "PyTorch 3.0 is not in the knowledge base"), nullptr);
}

TEST(ResolverTest, JaxOnL4UsesTheCuda12ExtraFlaggedUnverified) {
  const auto out = run(spec(Framework::kJax), managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_package, "jax[cuda12]");
  EXPECT_EQ(out->min_driver, "525.60.13");
  EXPECT_TRUE(has_line(out->warnings, "unverified"));
}

TEST(ResolverTest, JaxOnK80IsAConflict) {
  const auto out = run(spec(Framework::kJax, "0.4.30"), managed("Tesla K80"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "cuda", "no longer targets Tesla K80"), nullptr);
  EXPECT_NE(alternative(out.error(), "gpu: none"), nullptr);
}

TEST(ResolverTest, NoFrameworkWithAManagedGpuStillChoosesADriver) {
  const auto out = run(spec(Framework::kNone), managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_TRUE(out->gpu);
  EXPECT_FALSE(out->driver_branch.empty());
  EXPECT_EQ(out->base_image, "python:3.12-slim");
  EXPECT_TRUE(out->cuda.empty());
}

TEST(ResolverTest, DebootstrapWithTensorflowIsAConflictWithAlternatives) {
  Spec s = tf("2.15");
  s.base = "debootstrap:bookworm";
  const auto out = run(s, no_gpu());
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "base", "TensorFlow is not packaged in Debian"), nullptr);
  EXPECT_NE(alternative(out.error(), "base: auto uses tensorflow/tensorflow:2.15.0-jupyter"),
            nullptr)
      << dump(out);
  EXPECT_NE(alternative(out.error(), "python3-torch"), nullptr);
}

TEST(ResolverTest, DebootstrapWithPytorchUsesDebiansPython3Torch) {
  Spec s = torch();
  s.base = "debootstrap:bookworm";
  const auto out = run(s, host("Tesla T4", "550.54.15"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_kind, BaseKind::kDebootstrap);
  EXPECT_EQ(out->base_image, "debootstrap:bookworm");
  EXPECT_EQ(out->framework_version, "debian");
  EXPECT_EQ(out->apt_packages, std::vector<std::string>{"python3-torch"});
  EXPECT_TRUE(out->pip_packages.empty());
  EXPECT_EQ(out->python, "3.11");
  EXPECT_FALSE(out->gpu);
  EXPECT_TRUE(has_line(out->warnings, "GPU is not used"));
}

TEST(ResolverTest, DebootstrapWithGpuRequiredIsAConflict) {
  Spec s = torch();
  s.base = "debootstrap:bookworm";
  s.gpu.mode = GpuMode::kRequired;
  const auto out = run(s, host("Tesla T4", "550.54.15"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "gpu", "built without CUDA"), nullptr);
  EXPECT_NE(alternative(out.error(), "base: auto uses python:"), nullptr) << dump(out);
}

TEST(ResolverTest, DebootstrapVersionMustMatchDebiansPackage) {
  Spec s = torch("2.1");
  s.base = "debootstrap:bookworm";
  const auto out = run(s, no_gpu());
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "version", "python3-torch 1.13.1"), nullptr) << dump(out);
}

}  // namespace
}  // namespace deepdock::core
