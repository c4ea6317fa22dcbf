#include "core/gcp/accelerator_catalog.hpp"

#include <gtest/gtest.h>

#include "core/gcp/price_table.hpp"

namespace deepdock::core {
namespace {

TEST(AcceleratorCatalogTest, MapsEveryTypeToItsRegionalMetric) {
  const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
      {"nvidia-tesla-t4", "NVIDIA_T4_GPUS", "PREEMPTIBLE_NVIDIA_T4_GPUS"},
      {"nvidia-l4", "NVIDIA_L4_GPUS", "PREEMPTIBLE_NVIDIA_L4_GPUS"},
      {"nvidia-tesla-a100", "NVIDIA_A100_GPUS", "PREEMPTIBLE_NVIDIA_A100_GPUS"},
      {"nvidia-a100-80gb", "NVIDIA_A100_80GB_GPUS", "PREEMPTIBLE_NVIDIA_A100_80GB_GPUS"},
      {"nvidia-tesla-v100", "NVIDIA_V100_GPUS", "PREEMPTIBLE_NVIDIA_V100_GPUS"},
      {"nvidia-tesla-p100", "NVIDIA_P100_GPUS", "PREEMPTIBLE_NVIDIA_P100_GPUS"},
      {"nvidia-tesla-p4", "NVIDIA_P4_GPUS", "PREEMPTIBLE_NVIDIA_P4_GPUS"},
      {"nvidia-tesla-k80", "NVIDIA_K80_GPUS", "PREEMPTIBLE_NVIDIA_K80_GPUS"},
  };
  for (const auto& [type, on_demand, spot] : expected) {
    EXPECT_EQ(regional_gpu_metric(type, false), on_demand) << type;
    EXPECT_EQ(regional_gpu_metric(type, true), spot) << type;
  }
}

TEST(AcceleratorCatalogTest, H100HasOnlyAPreemptibleMetric) {
  EXPECT_EQ(regional_gpu_metric("nvidia-h100-80gb", false), std::nullopt);
  EXPECT_EQ(regional_gpu_metric("nvidia-h100-80gb", true), "PREEMPTIBLE_NVIDIA_H100_GPUS");
}

TEST(AcceleratorCatalogTest, UnknownTypeHasNoMetric) {
  EXPECT_EQ(find_accelerator("nvidia-t4"), nullptr);
  EXPECT_EQ(regional_gpu_metric("nvidia-t4", false), std::nullopt);
}

TEST(AcceleratorCatalogTest, GpuModelNamesAreTheKnowledgeBases) {
  EXPECT_EQ(find_accelerator("nvidia-tesla-t4")->gpu_model, "Tesla T4");
  EXPECT_EQ(find_accelerator("nvidia-l4")->gpu_model, "L4");
  EXPECT_EQ(find_accelerator("nvidia-a100-80gb")->gpu_model, "A100 80GB");
  EXPECT_EQ(find_accelerator("nvidia-h100-80gb")->family, MachineFamily::kA3High);
}

TEST(PriceTableTest, AddsGpusAndVcpusAndPricesSpotLower) {
  const auto price = estimate_price("nvidia-tesla-t4", 1, "n1-standard-4", 4);
  ASSERT_TRUE(price);
  EXPECT_NEAR(price->on_demand_per_hour, 0.35 + 4 * 0.0475, 1e-9);
  EXPECT_LT(price->spot_per_hour, price->on_demand_per_hour);
  const auto two = estimate_price("nvidia-tesla-t4", 2, "n1-standard-8", 8);
  EXPECT_NEAR(two->on_demand_per_hour, 2 * price->on_demand_per_hour, 1e-9);
}

TEST(PriceTableTest, UnknownAcceleratorOrFamilyHasNoPrice) {
  EXPECT_FALSE(estimate_price("nvidia-rtx-9090", 1, "n1-standard-4", 4));
  EXPECT_FALSE(estimate_price("nvidia-tesla-t4", 1, "e2-standard-4", 4));
  EXPECT_EQ(kPriceNote, "approximate list price, us-central1");
}

}  // namespace
}  // namespace deepdock::core
