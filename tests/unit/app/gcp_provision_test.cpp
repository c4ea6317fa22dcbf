#include "app/gcp_provision.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "app/gcp_vm_record.hpp"
#include "unit/app/gcp_test_support.hpp"

namespace deepdock::app {
namespace {

using testing::t4_request;

class GcpProvisionTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::populate_world(world.cloud); }
  void TearDown() override { util::reset_cancel(); }

  std::vector<std::string> inserted_zones() const {
    std::vector<std::string> zones;
    for (const auto& spec : world.cloud.inserted) {
      zones.push_back(spec.zone);
    }
    return zones;
  }

  testing::TestDeps world;
  GcpDeps deps = world.deps();
};

TEST_F(GcpProvisionTest, PlanShowsMachinePriceZonesAndSkippedZones) {
  GcpVmRequest request = t4_request();
  request.target.zones = {"us-west1-b", "us-central1-c", "us-central1-a"};
  const auto plan = plan_gcp_vm(request, deps);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->machine_type, "n1-standard-4");
  EXPECT_EQ(plan->guest_cpus, 4);
  EXPECT_EQ(plan->gpu_model, "Tesla T4");
  EXPECT_EQ(plan->quota_metric, "NVIDIA_T4_GPUS");
  ASSERT_EQ(plan->candidates.size(), 2U);
  EXPECT_EQ(plan->candidates[0].zone, "us-west1-b");
  EXPECT_EQ(plan->candidates[1].zone, "us-central1-a");
  ASSERT_EQ(plan->skipped.size(), 1U);
  EXPECT_EQ(plan->skipped[0].zone, "us-central1-c");
  EXPECT_EQ(plan->skipped[0].outcome, "not offered");
  EXPECT_FALSE(plan->skipped[0].tried);
  ASSERT_TRUE(plan->price_per_hour);
  EXPECT_NEAR(*plan->price_per_hour, 0.54, 0.01);
  std::string text;
  for (const std::string& line : format_gcp_vm_plan(*plan)) {
    text += line + "\n";
  }
  EXPECT_NE(text.find("approximate list price, us-central1"), std::string::npos) << text;
  EXPECT_NE(text.find("us-west1-b (4 free NVIDIA_T4_GPUS)"), std::string::npos) << text;
  EXPECT_NE(text.find("us-central1-c: not offered"), std::string::npos) << text;
  EXPECT_EQ(world.cloud.count("insert_instance"), 0);
}

TEST_F(GcpProvisionTest, PlanOfAnAcceleratorOfferedNowhereSuggestsTheSpelling) {
  GcpVmRequest request = t4_request();
  request.target.accelerator = "nvidia-tesla-t5";
  request.target.machine_type = "n1-standard-4";
  const auto plan = plan_gcp_vm(request, deps);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kIncompatible);
  EXPECT_NE(plan.error().hint.find("did you mean nvidia-tesla-t4"), std::string::npos)
      << plan.error().hint;
}

TEST_F(GcpProvisionTest, PlanWithoutQuotaAnywhereSaysHowToAskForMore) {
  for (auto& [name, region] : world.cloud.regions) {
    region.quotas = {{"NVIDIA_T4_GPUS", 1, 1}};
  }
  const auto plan = plan_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(plan.error().hint.find("iam-admin/quotas?project=learning-deeply"), std::string::npos);
}

TEST_F(GcpProvisionTest, CreatesTheVmInTheFirstZoneLabelledAndRecorded) {
  GcpVmRequest request = t4_request();
  request.preferred_region = "us-west1";
  const auto result = provision_gcp_vm(request, deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, "created");
  EXPECT_EQ(result->instance.zone, "us-west1-a");
  EXPECT_EQ(result->instance.status, "RUNNING");
  EXPECT_FALSE(result->instance.external_ip.empty());
  ASSERT_EQ(world.cloud.inserted.size(), 1U);
  const core::CloudInstanceSpec& spec = world.cloud.inserted[0];
  EXPECT_EQ(spec.name, "deepdock-bert");
  EXPECT_EQ(spec.labels.at("deepdock-managed"), "true");
  EXPECT_EQ(spec.labels.at("deepdock-env"), "bert");
  EXPECT_EQ(spec.tags, std::vector<std::string>{"deepdock"});
  EXPECT_EQ(spec.accelerator, "nvidia-tesla-t4");
  EXPECT_EQ(spec.metadata.at("startup-script"), "#!/bin/bash\necho hi\n");
  EXPECT_EQ(spec.source_image, "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts");
  const auto record = read_gcp_vm_record(world.state, "bert");
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->state, "created");
  EXPECT_EQ((*record)->zone, "us-west1-a");
  EXPECT_EQ((*record)->project, "learning-deeply");
  ASSERT_EQ(result->attempts.size(), 1U);
  EXPECT_EQ(result->attempts[0].outcome, "created");
  EXPECT_NE(world.observer.lines.at(0).find("trying us-west1-a"), std::string::npos);
}

TEST_F(GcpProvisionTest, L4SendsNoGuestAccelerators) {
  GcpVmRequest request = t4_request();
  request.target.accelerator = "nvidia-l4";
  world.cloud.set_region_quota("us-central1", "NVIDIA_L4_GPUS", 2);
  const auto result = provision_gcp_vm(request, deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(world.cloud.inserted.at(0).machine_type, "g2-standard-4");
  EXPECT_EQ(world.cloud.inserted.at(0).accelerator, "");
  EXPECT_EQ(world.cloud.inserted.at(0).zone, "us-central1-c");
}

TEST_F(GcpProvisionTest, WritesTheRecordBeforeEveryInsert) {
  world.cloud.stockout_zones = {"us-central1-a"};
  std::vector<std::string> recorded_at_insert;
  world.cloud.on_call = [&](int, const std::string& method) {
    if (method == "insert_instance") {
      const auto record = read_gcp_vm_record(world.state, "bert");
      recorded_at_insert.push_back(record && *record ? (*record)->state + " " + (*record)->zone
                                                     : "none");
    }
  };
  ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  EXPECT_EQ(recorded_at_insert,
            (std::vector<std::string>{"creating us-central1-a", "creating us-central1-b"}));
}

TEST_F(GcpProvisionTest, FailsOverZoneByZoneOnStockouts) {
  world.cloud.stockout_zones = {"us-central1-a", "us-central1-b", "us-east1-c"};
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(inserted_zones(), (std::vector<std::string>{"us-central1-a", "us-central1-b",
                                                        "us-east1-c", "us-east1-d"}));
  EXPECT_EQ(result->instance.zone, "us-east1-d");
  ASSERT_EQ(result->attempts.size(), 4U);
  EXPECT_EQ(result->attempts[0].outcome, "stocked out");
  EXPECT_EQ(world.cloud.instances.size(), 1U);
}

TEST_F(GcpProvisionTest, RegionalQuotaSkipsTheRestOfTheRegion) {
  world.cloud.quota_regions = {"us-central1"};
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(inserted_zones(), (std::vector<std::string>{"us-central1-a", "us-east1-c"}));
  const auto& attempts = result->attempts;
  ASSERT_EQ(attempts.size(), 3U);
  EXPECT_EQ(attempts[0].outcome, "regional quota");
  EXPECT_NE(attempts[0].hint.find("gcloud compute regions describe us-central1"),
            std::string::npos);
  EXPECT_EQ(attempts[1].zone, "us-central1-b");
  EXPECT_EQ(attempts[1].outcome, "skipped");
  EXPECT_FALSE(attempts[1].tried);
}

TEST_F(GcpProvisionTest, GlobalQuotaThatCannotFitStopsBeforeAnyInsert) {
  world.cloud.project_quota_list = {{"GPUS_ALL_REGIONS", 1, 1}};
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPrecondition);
  EXPECT_EQ(world.cloud.count("insert_instance"), 0);
}

TEST_F(GcpProvisionTest, GlobalQuotaRefusalStopsEverything) {
  for (const char* zone : {"us-central1-a", "us-central1-b", "us-east1-c"}) {
    world.cloud.refuse_insert[zone] = {
        "QUOTA_EXCEEDED", "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally.", 403};
  }
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPrecondition);
  EXPECT_EQ(world.cloud.count("insert_instance"), 1);
  EXPECT_NE(result.error().message.find("global GPU quota"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().hint.find("project-info describe"), std::string::npos);
  EXPECT_TRUE(world.state.records.empty());
}

TEST_F(GcpProvisionTest, EveryZoneStockedOutIsUnavailableAndLeavesNothing) {
  for (const auto& zone : world.cloud.zones) {
    world.cloud.stockout_zones.insert(zone.name);
  }
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message.find("us-east1-d"), std::string::npos);
  EXPECT_TRUE(world.cloud.instances.empty());
  EXPECT_TRUE(world.state.records.empty());
}

TEST_F(GcpProvisionTest, ReusesTheRecordedRunningVm) {
  ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  const auto again = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->outcome, "reused");
  EXPECT_EQ(world.cloud.count("insert_instance"), 1);
  EXPECT_EQ(world.cloud.count("accelerator_offers"), 1);  // no planning for a reuse
}

TEST_F(GcpProvisionTest, StartsTheRecordedStoppedVm) {
  ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  world.cloud.instances.begin()->second.status = "TERMINATED";
  const auto again = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->outcome, "started");
  EXPECT_EQ(again->instance.status, "RUNNING");
  EXPECT_EQ(world.cloud.count("start_instance"), 1);
}

TEST_F(GcpProvisionTest, StartStockoutKeepsTheStoppedVm) {
  ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  world.cloud.instances.begin()->second.status = "TERMINATED";
  world.cloud.stockout_zones = {"us-central1-a"};
  const auto again = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(again.error().message.find("the VM is kept"), std::string::npos);
  EXPECT_EQ(world.cloud.instances.size(), 1U);
  EXPECT_FALSE(world.state.records.empty());
}

TEST_F(GcpProvisionTest, StaleRecordIsReplacedByANewVm) {
  ASSERT_TRUE(write_gcp_vm_record(
      world.state, "bert",
      {"learning-deeply", "us-west1-b", "deepdock-bert", "created", "id", "operation-x"}));
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, "created");
  ASSERT_EQ(result->notes.size(), 1U);
  EXPECT_NE(result->notes[0].find("no longer exists"), std::string::npos);
}

TEST_F(GcpProvisionTest, RecordOfAnotherProjectIsAConflict) {
  ASSERT_TRUE(write_gcp_vm_record(
      world.state, "bert", {"old-project", "us-west1-b", "deepdock-bert", "created", "", ""}));
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
}

TEST_F(GcpProvisionTest, RecordedVmWithoutTheLabelIsRefused) {
  ASSERT_TRUE(provision_gcp_vm(t4_request(), deps));
  world.cloud.instances.begin()->second.labels.clear();
  const auto again = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(GcpProvisionTest, CtrlCWhileCreatingDeletesTheVm) {
  world.cloud.waits_to_complete = 3;
  world.cloud.on_call = [&](int, const std::string& method) {
    if (method == "wait_operation" && world.cloud.count("wait_operation") == 2) {
      util::request_cancel();
    }
  };
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(util::cancel_requested());  // still reported to the caller
  EXPECT_TRUE(world.cloud.instances.empty());
  EXPECT_TRUE(world.state.records.empty());
  EXPECT_EQ(world.cloud.count("delete_instance"), 1);
}

TEST_F(GcpProvisionTest, LostInsertAnswerIsRetriedWithTheSameRequestId) {
  world.cloud.on_call = [&](int index, const std::string& method) {
    if (method == "insert_instance" && world.cloud.count("insert_instance") == 1) {
      world.cloud.lose_reply.insert(index);
    }
  };
  const auto result = provision_gcp_vm(t4_request(), deps);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(world.cloud.count("insert_instance"), 2);
  EXPECT_EQ(world.cloud.inserted.size(), 1U);  // the repeat was a no-op
  EXPECT_EQ(world.cloud.instances.size(), 1U);
}

TEST_F(GcpProvisionTest, RequestIdsAreUuidV4) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(std::regex_match(new_uuid_v4(), uuid));
  }
  EXPECT_EQ(format_uuid_v4("ffffffffffffffffffffffffffffffff"),
            "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_EQ(format_uuid_v4("00000000000000000000000000000000"),
            "00000000-0000-4000-8000-000000000000");
}

}  // namespace
}  // namespace deepdock::app
