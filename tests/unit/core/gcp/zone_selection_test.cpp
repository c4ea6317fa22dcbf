#include "core/gcp/zone_selection.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

std::vector<std::string> zone_names(const ZoneSelection& selection) {
  std::vector<std::string> names;
  for (const ZoneCandidate& candidate : selection.candidates) {
    names.push_back(candidate.zone);
  }
  return names;
}

class ZoneSelectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    input.project = "p";
    input.accelerator = "nvidia-tesla-t4";
    input.metric = "NVIDIA_T4_GPUS";
    for (const auto& [zone, region] :
         std::vector<std::pair<std::string, std::string>>{{"us-central1-a", "us-central1"},
                                                          {"us-central1-b", "us-central1"},
                                                          {"us-west1-b", "us-west1"},
                                                          {"us-west1-a", "us-west1"},
                                                          {"europe-west4-a", "europe-west4"},
                                                          {"asia-east1-c", "asia-east1"}}) {
      input.zones.push_back({zone, region, true});
      input.offers.push_back({zone, "nvidia-tesla-t4", "NVIDIA T4", 4});
      input.region_quotas[region] = {{"NVIDIA_T4_GPUS", 4, 0}};
    }
    input.project_quotas = {{"GPUS_ALL_REGIONS", 4, 0}};
  }
  ZoneSelectionInput input;
};

TEST_F(ZoneSelectionTest, SpecZonesKeepTheirOrderAndUnofferedOnesAreRows) {
  input.spec_zones = {"us-west1-b", "us-east1-c", "us-central1-a"};
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection) << selection.error().message;
  EXPECT_EQ(zone_names(*selection), (std::vector<std::string>{"us-west1-b", "us-central1-a"}));
  ASSERT_EQ(selection->skipped.size(), 1U);
  EXPECT_EQ(selection->skipped[0].zone, "us-east1-c");
  EXPECT_EQ(selection->skipped[0].outcome, "not offered");
  EXPECT_EQ(selection->skipped[0].region, "us-east1");
}

TEST_F(ZoneSelectionTest, PreferredRegionFirstThenRegionsTogether) {
  input.preferred_region = "us-west1";
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection);
  EXPECT_EQ(zone_names(*selection),
            (std::vector<std::string>{"us-west1-a", "us-west1-b", "asia-east1-c", "europe-west4-a",
                                      "us-central1-a", "us-central1-b"}));
}

TEST_F(ZoneSelectionTest, RegionsWithKnownQuotaComeBeforeUnknownOnes) {
  input.region_quotas.erase("asia-east1");
  input.region_quotas["europe-west4"] = {{"CPUS", 24, 0}};  // the metric is missing: unknown
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection);
  EXPECT_EQ(zone_names(*selection),
            (std::vector<std::string>{"us-central1-a", "us-central1-b", "us-west1-a", "us-west1-b",
                                      "asia-east1-c", "europe-west4-a"}));
  EXPECT_FALSE(selection->candidates.back().free_quota);
  EXPECT_EQ(selection->candidates.front().free_quota, 4.0);
}

TEST_F(ZoneSelectionTest, RegionWithoutQuotaIsSkippedWithRows) {
  input.region_quotas["us-central1"] = {{"NVIDIA_T4_GPUS", 1, 1}};
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection);
  EXPECT_EQ(selection->candidates.front().region, "asia-east1");
  ASSERT_EQ(selection->skipped.size(), 2U);
  EXPECT_EQ(selection->skipped[0].outcome, "regional quota");
  EXPECT_NE(selection->skipped[0].message.find("0 NVIDIA_T4_GPUS free"), std::string::npos);
}

TEST_F(ZoneSelectionTest, GlobalQuotaThatCannotFitStopsBeforeAnything) {
  input.project_quotas = {{"GPUS_ALL_REGIONS", 1, 1}};
  const auto selection = select_zones(input);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(selection.error().message.find("GPUS_ALL_REGIONS"), std::string::npos);
  EXPECT_NE(selection.error().hint.find("iam-admin/quotas?project=p"), std::string::npos);
}

TEST_F(ZoneSelectionTest, NoQuotaAnywhereIsAPreconditionWithTheWayToAskForMore) {
  for (auto& [region, quotas] : input.region_quotas) {
    quotas = {{"NVIDIA_T4_GPUS", 0, 0}};
  }
  const auto selection = select_zones(input);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(selection.error().hint.find("NVIDIA_T4_GPUS"), std::string::npos);
  EXPECT_NE(selection.error().hint.find("gcloud compute regions describe"), std::string::npos);
}

TEST_F(ZoneSelectionTest, MissingGlobalMetricIsUnknownNotZero) {
  input.project_quotas.clear();
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection);
  EXPECT_FALSE(selection->global_free);
}

TEST_F(ZoneSelectionTest, OfferedNowhereIsIncompatible) {
  input.accelerator = "nvidia-tesla-p4";
  const auto selection = select_zones(input);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().code, ErrorCode::kIncompatible);
}

TEST_F(ZoneSelectionTest, ZoneWithTooFewGpusPerVmOrDownIsSkipped) {
  input.count = 4;
  input.offers[0].max_per_instance = 2;
  input.zones[1].up = false;
  const auto selection = select_zones(input);
  ASSERT_TRUE(selection);
  ASSERT_EQ(selection->skipped.size(), 2U);
  EXPECT_EQ(selection->skipped[0].outcome, "not offered");
  EXPECT_EQ(selection->skipped[1].outcome, "zone down");
}

TEST_F(ZoneSelectionTest, RegionsToReadAreThoseOfTryableZonesInOrder) {
  input.spec_zones = {"us-west1-b", "us-east1-c", "us-central1-a", "us-west1-a"};
  EXPECT_EQ(regions_to_read(input), (std::vector<std::string>{"us-west1", "us-central1"}));
  EXPECT_EQ(region_of_zone("europe-west4-a"), "europe-west4");
}

}  // namespace
}  // namespace deepdock::core
