#include "core/compat/knowledge_base.hpp"

#include <gtest/gtest.h>

#include "core/compat/embedded.hpp"

namespace deepdock::core {
namespace {

const KnowledgeBase& kb() {
  return KnowledgeBase::embedded();
}

TEST(KnowledgeBaseTest, EmbeddedBaseParsesWithEverySection) {
  EXPECT_EQ(kb().schema_version(), 1);
  EXPECT_FALSE(kb().snapshot().empty());
  EXPECT_FALSE(embedded_compat_json().empty());
  EXPECT_GE(kb().tf_builds().size(), 38U);
  EXPECT_EQ(kb().tf_builds().front().version.text(), "1.0.0");
  EXPECT_EQ(kb().tf_builds().back().version.text(), "2.21.0");
  EXPECT_GE(kb().torch_builds().size(), 29U);
  EXPECT_GE(kb().gpus().size(), 30U);
  EXPECT_GE(kb().gcp_accelerators().size(), 13U);
  EXPECT_FALSE(kb().driver_branches().empty());
  EXPECT_EQ(kb().gcp_global_quota_metric(), "GPUS_ALL_REGIONS");
}

TEST(KnowledgeBaseTest, FindsGpusByNameAliasAcceleratorAndNvmlName) {
  for (const auto& [query, name] : std::vector<std::pair<std::string, std::string>>{
           {"Tesla K80", "Tesla K80"},
           {"k80", "Tesla K80"},
           {"nvidia-tesla-t4", "Tesla T4"},
           {"NVIDIA-TESLA-A100", "A100 40GB"},
           {"Tesla T4", "Tesla T4"},
           {"NVIDIA A100-SXM4-80GB", "A100 80GB"},
           {"NVIDIA H100 80GB HBM3", "H100 80GB"},
           {"nvidia-h100-mega-80gb", "H100 80GB"},
           {"NVIDIA GeForce RTX 3090", "GeForce RTX 3090"},
           {"nvidia-l4", "L4"},
           {"TU104GL [Tesla T4]", "Tesla T4"}}) {
    const GpuModel* gpu = kb().find_gpu(query);
    ASSERT_NE(gpu, nullptr) << query;
    EXPECT_EQ(gpu->name, name) << query;
  }
  EXPECT_EQ(kb().find_gpu("Voodoo 5"), nullptr);
  EXPECT_EQ(kb().find_gpu(""), nullptr);
}

TEST(KnowledgeBaseTest, GpuFactsCarryCapabilityBranchAndProvenance) {
  const GpuModel* k80 = kb().find_gpu("K80");
  ASSERT_NE(k80, nullptr);
  EXPECT_EQ(k80->compute_capability, "3.7");
  EXPECT_EQ(k80->last_driver_branch.value_or(""), "R470");
  EXPECT_FALSE(k80->provenance.sources.empty());
  const GpuModel* a10g = kb().find_gpu("A10G");
  ASSERT_NE(a10g, nullptr);
  EXPECT_TRUE(a10g->provenance.unverified);
}

TEST(KnowledgeBaseTest, TensorflowPrefixGivesTheNewestOfTheMinorFirst) {
  const auto builds = kb().tf_builds_matching(version_of("2.16"));
  ASSERT_EQ(builds.size(), 1U);
  EXPECT_EQ(builds.front()->version.text(), "2.16.1");
  EXPECT_TRUE(kb().tf_builds_matching(version_of("2.22")).empty());
  const auto all = kb().tf_builds_matching(Version{});
  EXPECT_EQ(all.front()->version.text(), "2.21.0");
}

TEST(KnowledgeBaseTest, CudaDriverFactsWithMinorVersionCompatibility) {
  const CudaRelease* cuda122 = kb().cuda_release(version_of("12.2.2"));
  ASSERT_NE(cuda122, nullptr);
  EXPECT_EQ(cuda122->min_driver.text(), "535.54.03");
  EXPECT_EQ(cuda122->minor_compat_min_driver->text(), "525.60.13");
  const CudaRelease* cuda101 = kb().cuda_release(version_of("10.1"));
  ASSERT_NE(cuda101, nullptr);
  EXPECT_FALSE(cuda101->minor_compat_min_driver);
  EXPECT_EQ(kb().min_cuda_for({9, 0})->text(), "11.8");
  EXPECT_EQ(kb().min_cuda_for({10, 0})->text(), "12.8");
  EXPECT_FALSE(kb().min_cuda_for({3, 7}));  // the oldest toolkit recorded (9.0) targets it
  EXPECT_EQ(kb().cuda_arch_range(version_of("12.2"))->min_cc.to_string(), "5.0");
}

TEST(KnowledgeBaseTest, DriverBranchesKnowTheirLastArchitecturesAndCuda) {
  const DriverBranch* r470 = kb().driver_branch("R470");
  ASSERT_NE(r470, nullptr);
  EXPECT_EQ(r470->last_for, std::vector<std::string>{"Kepler"});
  EXPECT_EQ(r470->max_cuda->text(), "11.4");
  const DriverBranch* r580 = kb().driver_branch("r580");
  ASSERT_NE(r580, nullptr);
  EXPECT_EQ(r580->max_cuda->text(), "13.0");
  EXPECT_EQ(kb().architecture_for({6, 1})->last_driver_branch.value_or(""), "R580");
  EXPECT_FALSE(kb().architecture_for({8, 9})->last_driver_branch);
}

TEST(KnowledgeBaseTest, GoogleCloudAcceleratorsNameTheirGpuAndRetirement) {
  const GcpAccelerator* k80 = kb().find_gcp_accelerator("nvidia-tesla-k80");
  ASSERT_NE(k80, nullptr);
  EXPECT_TRUE(k80->retired);
  EXPECT_EQ(k80->retired_on, "2024-05-01");
  EXPECT_EQ(k80->quota_metric, "NVIDIA_K80_GPUS");
  const auto h100 = kb().gcp_accelerators_for("H100 80GB");
  EXPECT_EQ(h100.size(), 2U);
  const GcpAccelerator* l4 = kb().find_gcp_accelerator("nvidia-l4");
  ASSERT_NE(l4, nullptr);
  EXPECT_EQ(l4->preemptible_quota_metric, "PREEMPTIBLE_NVIDIA_L4_GPUS");
  EXPECT_FALSE(l4->retired);
}

TEST(KnowledgeBaseTest, TorchIndexUrlAndDebianPackages) {
  EXPECT_EQ(kb().torch_index_url(version_of("12.1")), "https://download.pytorch.org/whl/cu121");
  EXPECT_EQ(kb().debian_package("pytorch"), "python3-torch");
  EXPECT_EQ(kb().debian_package("tensorflow"), "");
  ASSERT_NE(kb().debian_suite("bookworm"), nullptr);
  EXPECT_EQ(kb().debian_suite("bookworm")->python.text(), "3.11");
}

TEST(KnowledgeBaseTest, EverySourceKeyResolvesToACitation) {
  for (const auto& build : kb().tf_builds()) {
    for (const auto& key : build.provenance.sources) {
      EXPECT_NE(kb().source_text(key), key) << key;
    }
  }
}

}  // namespace
}  // namespace deepdock::core
