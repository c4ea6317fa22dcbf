// Table tests over the whole knowledge base: every TensorFlow GPU build resolves, on a GPU its
// kernels cover, to the image tag of its era's convention and to a minimum driver that is the
// one its CUDA needs; every PyTorch build resolves to one of its own CUDA wheels; every GPU and
// Google Cloud accelerator is usable by the resolver.

#include <gtest/gtest.h>

#include <regex>

#include "core/compat/knowledge_base.hpp"
#include "core/resolve/resolver.hpp"

namespace deepdock::core {
namespace {

const KnowledgeBase& kb() {
  return KnowledgeBase::embedded();
}

HostFacts managed_host(const GpuModel& gpu) {
  HostFacts host;
  host.gpus.push_back({gpu.name, gpu.compute_capability, 0});
  host.driver_managed = true;
  return host;
}

bool retired(const GpuModel& gpu) {
  for (const auto* accelerator : kb().gcp_accelerators_for(gpu.name)) {
    if (accelerator->retired) {
      return true;
    }
  }
  return false;
}

// A GPU that the build's own kernels cover (SASS, or the documented minimum where the list is
// not recorded) and whose architecture its CUDA targets: one current drivers support when
// there is one, else one whose last driver branch still runs the CUDA in full.
const GpuModel* compatible_gpu(const KernelSet& kernels, const Version& cuda) {
  for (const bool current : {true, false}) {
    for (const auto& gpu : kb().gpus()) {
      const KernelFit fit = kernel_fit(kernels, gpu.cc);
      const bool targeted = !gpu.min_cuda || *gpu.min_cuda <= cuda;
      const DriverBranch* last =
          gpu.last_driver_branch ? kb().driver_branch(*gpu.last_driver_branch) : nullptr;
      const bool driven = current ? last == nullptr
                                  : last == nullptr || (last->max_cuda && *last->max_cuda >= cuda);
      if (!retired(gpu) && targeted && driven &&
          (fit == KernelFit::kSass || fit == KernelFit::kMinimumOnly)) {
        return &gpu;
      }
    }
  }
  return nullptr;
}

// The tag convention of a release's era, as a pattern.
std::string expected_tag(const Version& v, bool gpu, bool jupyter) {
  const std::string device = gpu ? "-gpu" : "";
  if (v < version_of("1.12")) {
    return device + "-py3";  // no -jupyter tags before 1.12
  }
  if (v < version_of("2.2")) {
    return device + "-py3" + (jupyter ? "-jupyter" : "");
  }
  return device + (jupyter ? "-jupyter" : "");
}

TEST(KnowledgeBaseTableTest, EveryTensorflowGpuBuildResolvesToItsErasTagAndDriver) {
  ASSERT_EQ(kb().tf_builds().size(), 38U);
  for (const auto& build : kb().tf_builds()) {
    SCOPED_TRACE("TensorFlow " + build.version.text());
    const TfKernelRange* kernels = kb().tf_kernels(build.version);
    ASSERT_NE(kernels, nullptr);
    const GpuModel* gpu = compatible_gpu(kernels->kernels, build.cuda);
    ASSERT_NE(gpu, nullptr);
    SCOPED_TRACE(gpu->name);
    for (const bool jupyter : {true, false}) {
      Spec spec;
      spec.version = build.version.text();
      spec.jupyter = jupyter ? JupyterMode::kLab : JupyterMode::kNone;
      const auto out = resolve(spec, managed_host(*gpu), kb());
      ASSERT_TRUE(out) << out.error().violations.front().detail;
      EXPECT_EQ(out->framework_version, build.version.text());
      EXPECT_EQ(out->base_image, "tensorflow/tensorflow:" + build.version.text() +
                                     expected_tag(build.version, true, jupyter));
      EXPECT_EQ(out->framework_package, build.pip_gpu + "==" + build.version.text());
      EXPECT_EQ(out->cuda, build.cuda.text());
      EXPECT_EQ(out->cudnn, build.cudnn.text());
      const CudaRelease* cuda = kb().cuda_release(build.cuda);
      ASSERT_NE(cuda, nullptr);
      EXPECT_EQ(out->min_driver, cuda->min_driver.text());
      const DriverBranch* branch = kb().driver_branch(out->driver_branch);
      ASSERT_NE(branch, nullptr) << out->driver_branch;
      EXPECT_GE(*branch->max_cuda, build.cuda);
      EXPECT_FALSE(out->python.empty());
    }
  }
}

TEST(KnowledgeBaseTableTest, EveryTensorflowBuildHasACpuImage) {
  for (const auto& build : kb().tf_builds()) {
    SCOPED_TRACE("TensorFlow " + build.version.text());
    Spec spec;
    spec.version = build.version.text();
    spec.gpu.mode = GpuMode::kNone;
    const auto out = resolve(spec, HostFacts{}, kb());
    ASSERT_TRUE(out);
    EXPECT_FALSE(out->gpu);
    EXPECT_EQ(out->base_image, "tensorflow/tensorflow:" + build.version.text() +
                                   expected_tag(build.version, false, true));
    EXPECT_EQ(out->framework_package, build.pip_cpu + "==" + build.version.text());
  }
}

TEST(KnowledgeBaseTableTest, TensorflowPipPackageFollowsTheEra) {
  for (const auto& build : kb().tf_builds()) {
    const Version& v = build.version;
    const std::string expected = v < version_of("2.1")    ? "tensorflow-gpu"
                                 : v < version_of("2.14") ? "tensorflow"
                                                          : "tensorflow[and-cuda]";
    EXPECT_EQ(build.pip_gpu, expected) << v.text();
  }
}

TEST(KnowledgeBaseTableTest, EveryPytorchBuildResolvesToOneOfItsOwnWheels) {
  const std::regex index(R"(https://download\.pytorch\.org/whl/cu[0-9]+)");
  for (const auto& build : kb().torch_builds()) {
    SCOPED_TRACE("PyTorch " + build.version.text());
    const TorchVariant& newest = build.variants.back();
    const GpuModel* gpu = compatible_gpu(newest.kernels, newest.cuda);
    ASSERT_NE(gpu, nullptr);
    Spec spec;
    spec.framework = Framework::kPytorch;
    spec.version = build.version.text();
    const auto out = resolve(spec, managed_host(*gpu), kb());
    ASSERT_TRUE(out) << out.error().violations.front().detail;
    EXPECT_EQ(out->framework_version, build.version.text());
    EXPECT_TRUE(std::regex_match(out->pip_index_url, index)) << out->pip_index_url;
    const bool own = std::any_of(build.variants.begin(), build.variants.end(),
                                 [&](const TorchVariant& v) { return v.cuda.text() == out->cuda; });
    EXPECT_TRUE(own) << out->cuda;
    EXPECT_EQ(out->min_driver, kb().cuda_release(version_of(out->cuda))->min_driver.text());
  }
}

TEST(KnowledgeBaseTableTest, EveryGpuGetsSomeTensorflowWithTheDriverDeepdockInstalls) {
  for (const auto& gpu : kb().gpus()) {
    SCOPED_TRACE(gpu.name);
    const auto out = resolve(Spec{}, managed_host(gpu), kb());
    ASSERT_TRUE(out) << out.error().violations.front().detail;
    EXPECT_TRUE(out->gpu);
    const DriverBranch* branch = kb().driver_branch(out->driver_branch);
    ASSERT_NE(branch, nullptr);
    if (gpu.last_driver_branch) {
      EXPECT_LE(branch->number, kb().driver_branch(*gpu.last_driver_branch)->number);
    }
  }
}

TEST(KnowledgeBaseTableTest, EveryGoogleCloudAcceleratorNamesAKnownGpu) {
  for (const auto& accelerator : kb().gcp_accelerators()) {
    SCOPED_TRACE(accelerator.type);
    const GpuModel* gpu = kb().find_gpu(accelerator.type);
    ASSERT_NE(gpu, nullptr);
    EXPECT_EQ(gpu->name, accelerator.gpu);
    EXPECT_FALSE(accelerator.quota_metric.empty());
    EXPECT_FALSE(accelerator.machine_families.empty());
  }
}

TEST(KnowledgeBaseTableTest, EveryCudaReleaseHasOrderedDriverFacts) {
  const CudaRelease* previous = nullptr;
  for (const auto& cuda : kb().cuda_releases()) {
    SCOPED_TRACE(cuda.version.text());
    if (cuda.version.major() >= 11) {
      ASSERT_TRUE(cuda.minor_compat_min_driver);
      // 11.0 GA shipped with a driver older than the 11.x family minimum (450.80.02).
      EXPECT_LE(cuda.minor_compat_min_driver->major(), cuda.min_driver.major());
    } else {
      EXPECT_FALSE(cuda.minor_compat_min_driver);
    }
    if (previous != nullptr) {
      EXPECT_LT(previous->min_driver, cuda.min_driver);
    }
    previous = &cuda;
  }
}

}  // namespace
}  // namespace deepdock::core
