// TensorFlow scenarios: which release, which pip package, which image tag convention, which
// Python, and what happens when the spec asks for something that does not exist or fit.

#include <gtest/gtest.h>

#include "unit/core/resolve/resolver_test_support.hpp"

namespace deepdock::core {
namespace {

using namespace resolve_test;  // NOLINT(google-build-using-namespace)

TEST(ResolverTest, Tf115UsesTensorflowGpuAndThePy3Tag) {
  const auto out = run(tf("1.15"), managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "1.15.0");
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:1.15.0-gpu-py3-jupyter");
  EXPECT_EQ(out->framework_package, "tensorflow-gpu==1.15.0");
  EXPECT_TRUE(out->pip_packages.empty());  // the image has it
  EXPECT_EQ(out->python, "3.6");
  EXPECT_EQ(out->cuda, "10.0");
  EXPECT_EQ(out->min_driver, "410.48");
  // The 1.15 notes say plain "tensorflow" has GPU support too; that conflict stays flagged.
  EXPECT_TRUE(has_line(out->warnings, "pip tensorflow==1.15.0"));
}

TEST(ResolverTest, Tf21UsesTheGpuPy3JupyterTag) {
  const auto out = run(tf("2.1"), host("Tesla T4", "440.33.01"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.1.0-gpu-py3-jupyter");
  EXPECT_EQ(out->framework_package, "tensorflow==2.1.0");
  EXPECT_TRUE(out->base_has_jupyter);
  EXPECT_EQ(out->min_driver, "418.39");
}

TEST(ResolverTest, Tf22DropsThePy3Suffix) {
  const auto out = run(tf("2.2"), managed("Tesla V100"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.2.0-gpu-jupyter");
}

TEST(ResolverTest, Tf215BecomesTheNewest215ReleaseWithAndCuda) {
  const auto out = run(tf("2.15"), managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.15.0");
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.15.0-gpu-jupyter");
  EXPECT_EQ(out->framework_package, "tensorflow[and-cuda]==2.15.0");
  EXPECT_EQ(out->cuda, "12.2");
  EXPECT_EQ(out->cudnn, "8.9");
  EXPECT_TRUE(out->gpu);
  for (const char* subject :
       {"framework", "python", "cuda", "cudnn", "driver", "base_image", "pip"}) {
    const Reason* why = reason(*out, subject);
    ASSERT_NE(why, nullptr) << subject;
    EXPECT_FALSE(why->why.empty()) << subject;
    EXPECT_FALSE(why->source.empty()) << subject;
  }
}

TEST(ResolverTest, Tf216PrefixFindsThePatchReleaseInTheTable) {
  const auto out = run(tf("2.16"), managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.16.1");
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.16.1-gpu-jupyter");
}

TEST(ResolverTest, LatestUsesTheFloatingTagAndSaysSo) {
  Spec s = tf("latest");
  const auto out = run(s, managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.21.0");
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:latest-gpu-jupyter");
  EXPECT_TRUE(has_line(out->warnings, "'latest' tags float"));
}

TEST(ResolverTest, JupyterNoneUsesThePlainGpuTag) {
  Spec s = tf("2.15");
  s.jupyter = JupyterMode::kNone;
  const auto out = run(s, managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.15.0-gpu");
  EXPECT_FALSE(out->base_has_jupyter);
}

TEST(ResolverTest, Tf111HasNoJupyterTagSoJupyterIsInstalledOnTop) {
  const auto out = run(tf("1.11"), managed("Tesla P100"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:1.11.0-gpu-py3");
  EXPECT_FALSE(out->base_has_jupyter);
  EXPECT_NE(reason(*out, "jupyter"), nullptr);
  EXPECT_EQ(out->cuda, "9.0");
}

TEST(ResolverTest, Tf10RunsOnCuda8WhoseDriverFactIsFlaggedUnverified) {
  const auto out = run(tf("1.0"), managed("Tesla K80"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->cuda, "8.0");
  EXPECT_EQ(out->min_driver, "375.26");
  EXPECT_EQ(out->driver_branch, "R470");
  EXPECT_TRUE(has_line(out->warnings, "unverified"));
}

TEST(ResolverTest, UnknownVersionListsTheNearestKnownReleases) {
  const auto out = run(tf("2.22"), managed("nvidia-tesla-t4"));
  ASSERT_FALSE(out) << dump(out);
  const Violation* unknown = violation(out.error(), "version", "2.22 is not in the knowledge base");
  ASSERT_NE(unknown, nullptr) << dump(out);
  EXPECT_TRUE(contains(unknown->detail, "2.21.0"));
  EXPECT_TRUE(contains(unknown->detail, "2.20.0"));
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.21.0 runs on this host"), nullptr);
}

TEST(ResolverTest, PythonOutsideTheReleasesRangeIsRejectedWithAlternatives) {
  Spec s = tf("2.15");
  s.python = "3.12";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "python", "supports Python 3.9-3.11; the spec asks for 3.12"),
            nullptr);
  EXPECT_NE(alternative(out.error(), "python: 3.11"), nullptr) << dump(out);
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.21.0 runs on this host"), nullptr) << dump(out);
}

TEST(ResolverTest, NewestReleaseFollowsTheSpecsPython) {
  Spec s = tf();
  s.python = "3.8";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->framework_version, "2.13.0");  // the last release for Python 3.8
  EXPECT_EQ(out->python, "3.8");
}

TEST(ResolverTest, PythonTheOfficialImageHasKeepsTheOfficialImage) {
  Spec s = tf("2.1");
  s.python = "3.6";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.1.0-gpu-py3-jupyter");
  EXPECT_EQ(out->python, "3.6");
}

TEST(ResolverTest, Python27UsesTheTagWithoutPy3) {
  Spec s = tf("1.15");
  s.python = "2.7";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:1.15.0-gpu");
  EXPECT_EQ(out->python, "2.7");
}

TEST(ResolverTest, PythonAnOldGpuImageLacksIsAConflict) {
  Spec s = tf("2.10");
  s.python = "3.10";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_FALSE(out) << dump(out);
  const Violation* python =
      violation(out.error(), "python", "official TensorFlow 2.10.0 GPU image");
  ASSERT_NE(python, nullptr) << dump(out);
  EXPECT_TRUE(python->unverified);  // the Python of 2.7-2.13 images is inferred
  EXPECT_NE(alternative(out.error(), "python: 3.8"), nullptr) << dump(out);
  EXPECT_NE(alternative(out.error(), "TensorFlow 2.21.0 runs on this host"), nullptr) << dump(out);
}

TEST(ResolverTest, PythonForAnAndCudaReleaseUsesPipOnAPythonImage) {
  Spec s = tf("2.15");
  s.python = "3.10";
  const auto out = run(s, managed("nvidia-l4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_image, "python:3.10-slim");
  EXPECT_EQ(out->python, "3.10");
  ASSERT_EQ(out->pip_packages.size(), 1U);
  EXPECT_EQ(out->pip_packages.front(), "tensorflow[and-cuda]==2.15.0");
}

TEST(ResolverTest, NoGpuWithGpuAutoIsACpuBuildWithAWarning) {
  const auto out = run(tf(), no_gpu());
  ASSERT_TRUE(out) << dump(out);
  EXPECT_FALSE(out->gpu);
  EXPECT_EQ(out->framework_version, "2.21.0");
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:2.21.0-jupyter");
  EXPECT_EQ(out->framework_package, "tensorflow-cpu==2.21.0");
  EXPECT_TRUE(out->cuda.empty());
  EXPECT_TRUE(out->min_driver.empty());
  EXPECT_TRUE(has_line(out->warnings, "no NVIDIA GPU found (test): this is a CPU-only"));
}

TEST(ResolverTest, NoGpuWithGpuRequiredIsAConflict) {
  Spec s = tf("2.15");
  s.gpu.mode = GpuMode::kRequired;
  const auto out = run(s, no_gpu());
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "gpu", "gpu required but none found"), nullptr);
  const Alternative* cloud = alternative(out.error(), "target: gcp");
  ASSERT_NE(cloud, nullptr);
  EXPECT_TRUE(has(cloud->gcp_accelerators, "nvidia-l4"));
  EXPECT_FALSE(has(cloud->gcp_accelerators, "nvidia-tesla-k80"));
}

TEST(ResolverTest, MoreGpusThanTheHostHasIsAConflict) {
  Spec s = tf("2.15");
  s.gpu = {GpuMode::kCount, 4};
  const auto out = run(s, host("Tesla T4", "550.54.15", 2));
  ASSERT_FALSE(out) << dump(out);
  EXPECT_NE(violation(out.error(), "gpu", "4 GPUs required but the host has 2"), nullptr);
}

TEST(ResolverTest, GpuNoneGivesTheCpuImageEvenWithAGpu) {
  Spec s = tf("1.15");
  s.gpu.mode = GpuMode::kNone;
  const auto out = run(s, host("Tesla T4", "550.54.15"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_FALSE(out->gpu);
  EXPECT_EQ(out->base_image, "tensorflow/tensorflow:1.15.0-py3-jupyter");
  EXPECT_EQ(out->framework_package, "tensorflow==1.15.0");
  EXPECT_TRUE(out->driver_branch.empty());
}

TEST(ResolverTest, ImageRefBaseInstallsTensorflowWithPip) {
  Spec s = tf("2.10");
  s.base = "nvcr.io/nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04";
  const auto out = run(s, managed("nvidia-tesla-t4"));
  ASSERT_TRUE(out) << dump(out);
  EXPECT_EQ(out->base_kind, BaseKind::kImageRef);
  EXPECT_EQ(out->base_image, s.base);
  ASSERT_EQ(out->pip_packages.size(), 1U);
  EXPECT_EQ(out->pip_packages.front(), "tensorflow==2.10.0");
  EXPECT_TRUE(has_line(out->warnings, "must provide CUDA 11.2 and cuDNN 8.1"));
}

}  // namespace
}  // namespace deepdock::core
