#include "core/gcp/failure_class.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

struct Row {
  CloudFailure failure;
  BlockScope scope;
  std::string outcome;
};

TEST(FailureClassTest, ClassifiesEveryKnownFailure) {
  const std::vector<Row> rows = {
      {{"ZONE_RESOURCE_POOL_EXHAUSTED", "The zone 'projects/p/zones/z' does not have enough", 503},
       BlockScope::kZone,
       "stocked out"},
      {{"ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS", "... '(resource type:compute)'.", 0},
       BlockScope::kZone,
       "stocked out"},
      {{"UNSUPPORTED_OPERATION", "preempted during create", 0}, BlockScope::kZone, "stocked out"},
      {{"insufficientCapacity", "", 0}, BlockScope::kZone, "stocked out"},
      {{"RESOURCE_NOT_READY", "still STOPPING", 0}, BlockScope::kZone, "busy"},
      {{"RESOURCE_OPERATION_RATE_EXCEEDED", "", 0}, BlockScope::kZone, "busy"},
      {{"RESOURCE_NOT_FOUND", "", 0}, BlockScope::kZone, "not found"},
      {{"forbidden", "Location us-east1-d is not found or access is unauthorized.", 403},
       BlockScope::kZone,
       "location unavailable"},
      {{"notFound",
        "The resource 'projects/p/zones/us-east1-c/acceleratorTypes/nvidia-tesla-p4' was not found",
        404},
       BlockScope::kZone,
       "not offered"},
      {{"badRequest", "The resource 'projects/p/zones/z/acceleratorTypes/nvidia-l4' was not found",
        400},
       BlockScope::kZone,
       "not offered"},
      {{"QUOTA_EXCEEDED", "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-central1.",
        403},
       BlockScope::kRegion,
       "regional quota"},
      {{"quotaExceeded", "Quota 'CPUS' exceeded.  Limit: 24.0 in region us-west1.", 403},
       BlockScope::kRegion,
       "regional quota"},
      {{"QUOTA_EXCEEDED", "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 1.0 globally.", 403},
       BlockScope::kEverything,
       "global GPU quota"},
      {{"SUBNET_NOT_FOUND_FOR_VPC", "", 0}, BlockScope::kRegion, "network"},
      {{"VPC_NOT_FOUND", "", 0}, BlockScope::kEverything, "network"},
      {{"IAM_PERMISSION_DENIED", "", 403}, BlockScope::kEverything, "permission"},
      {{"forbidden", "Required 'compute.instances.create' permission", 403},
       BlockScope::kEverything,
       "permission"},
      {{"invalid", "Requested disk size cannot be smaller than the image size (10 GB)", 400},
       BlockScope::kEverything,
       "disk too small"},
      {{"invalid", "Invalid value for field 'resource.machineType'", 400},
       BlockScope::kEverything,
       "invalid request"},
      {{"SOMETHING_NEW", "who knows", 0}, BlockScope::kZone, "failed"},
  };
  for (const Row& row : rows) {
    const FailureClass result = classify_failure(row.failure, "p", "us-central1");
    EXPECT_EQ(result.scope, row.scope) << row.failure.reason << ": " << row.failure.message;
    EXPECT_EQ(result.outcome, row.outcome) << row.failure.reason << ": " << row.failure.message;
  }
}

TEST(FailureClassTest, RegionalQuotaSaysHowToAskForMore) {
  const FailureClass result = classify_failure(
      {"QUOTA_EXCEEDED", "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-west1.", 403},
      "learning-deeply", "us-west1");
  EXPECT_EQ(result.quota_metric, "NVIDIA_T4_GPUS");
  EXPECT_NE(result.hint.find("https://console.cloud.google.com/iam-admin/quotas?project="
                             "learning-deeply"),
            std::string::npos);
  EXPECT_NE(result.hint.find("gcloud compute regions describe us-west1"), std::string::npos);
  EXPECT_NE(result.hint.find("NVIDIA_T4_GPUS"), std::string::npos);
}

TEST(FailureClassTest, GlobalQuotaHintPointsAtTheProject) {
  const FailureClass result = classify_failure(
      {"quotaExceeded", "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally.", 403}, "p",
      "us-west1");
  EXPECT_EQ(result.quota_metric, "GPUS_ALL_REGIONS");
  EXPECT_EQ(result.hint.find("regions describe"), std::string::npos);
  EXPECT_NE(result.hint.find("project-info describe"), std::string::npos);
}

TEST(FailureClassTest, QuotaMetricIsReadFromTheMessage) {
  EXPECT_EQ(quota_metric_in("Quota 'NVIDIA_L4_GPUS' exceeded.  Limit: 1.0 in region x."),
            "NVIDIA_L4_GPUS");
  EXPECT_EQ(quota_metric_in("no quota here"), "");
  EXPECT_EQ(quota_metric_in("Quota 'unterminated"), "");
}

}  // namespace
}  // namespace deepdock::core
