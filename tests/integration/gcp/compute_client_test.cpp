// The Compute Engine client (adapters/gcp/compute_client) against deepdock-gcp-emulator over
// real HTTP: the reads, an instance's whole life, requestId repeats, and failures in the
// operation.

#include "adapters/gcp/compute_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "integration/gcp/compute_emulator_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using namespace compute_emulator_test;  // NOLINT(google-build-using-namespace)

TEST_F(ComputeClientEmulatorTest, ClientMadeFromTheGcloudOverrideReadsZonesQuotasAndOffers) {
  start("basic.yaml");
  // The configuration as `gcloud config set api_endpoint_overrides/compute URL` writes it.
  const test::ScratchDir dir;
  dir.write("gcloud/configurations/config_default",
            "[api_endpoint_overrides]\ncompute = " + emulator_->url() + "/compute/v1/\n");
  AuthContext context;
  context.env = test::env_of({{"CLOUDSDK_CONFIG", (dir.path() / "gcloud").string()}});
  context.connect = test::curl_factory();
  auto made = make_compute_client(context, *tokens_, "");
  ASSERT_TRUE(made) << made.error().message;
  core::CloudCompute& compute = **made;

  const auto zones = compute.list_zones(kProject);
  ASSERT_TRUE(zones) << zones.error().message;
  ASSERT_EQ(zones->size(), 3U);
  EXPECT_EQ((*zones)[0].name, "us-west1-b");
  EXPECT_EQ((*zones)[0].region, "us-west1");
  EXPECT_TRUE((*zones)[0].up);

  const auto region = compute.get_region(kProject, "us-west1");
  ASSERT_TRUE(region) << region.error().message;
  EXPECT_EQ(region->zones, std::vector<std::string>{"us-west1-b"});
  const auto t4 = std::find_if(region->quotas.begin(), region->quotas.end(),
                               [](const auto& quota) { return quota.metric == "NVIDIA_T4_GPUS"; });
  ASSERT_NE(t4, region->quotas.end());
  EXPECT_EQ(t4->limit, 1.0);
  EXPECT_EQ(t4->usage, 0.0);

  const auto project = compute.project_quotas(kProject);
  ASSERT_TRUE(project) << project.error().message;
  EXPECT_TRUE(std::any_of(project->begin(), project->end(), [](const auto& quota) {
    return quota.metric == "GPUS_ALL_REGIONS" && quota.limit == 4.0;
  }));

  const auto offers = compute.accelerator_offers(kProject, "nvidia-tesla-t4");
  ASSERT_TRUE(offers) << offers.error().message;
  std::set<std::string> zones_offering;
  for (const auto& offer : *offers) {
    EXPECT_EQ(offer.name, "nvidia-tesla-t4");
    EXPECT_EQ(offer.max_per_instance, 4);
    zones_offering.insert(offer.zone);
  }
  EXPECT_EQ(zones_offering, (std::set<std::string>{"us-west1-b", "us-central1-a"}));

  const auto g2 = compute.get_machine_type(kProject, "us-central1-f", "g2-standard-8");
  ASSERT_TRUE(g2) << g2.error().message;
  EXPECT_EQ(g2->guest_cpus, 8);
  EXPECT_EQ(g2->memory_mb, 32768);
  EXPECT_EQ(g2->built_in_accelerator, "nvidia-l4");
  EXPECT_EQ(g2->built_in_accelerator_count, 1);
  EXPECT_TRUE(test::fails_with(compute.get_machine_type(kProject, "us-west1-b", "n9-huge"),
                               ErrorCode::kNotFound, "n9-huge"));
  EXPECT_TRUE(test::fails_with(compute.get_region("another-project", "us-west1"),
                               ErrorCode::kNotFound, "projects/another-project"));
}

TEST_F(ComputeClientEmulatorTest, InstanceRunsWithAnAddressThenStopsStartsAndGoes) {
  start("basic.yaml");
  const auto inserted =
      client_->insert_instance(kProject, instance_spec("gpu-1", "us-west1-b"), new_request_id());
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_FALSE(inserted->error);
  EXPECT_EQ(inserted->operation_type, "insert");
  EXPECT_EQ(inserted->target, "gpu-1");
  const core::CloudOperation created = wait(*inserted);
  EXPECT_FALSE(created.error) << created.error->message;

  const auto instance = client_->get_instance(kProject, "us-west1-b", "gpu-1");
  ASSERT_TRUE(instance && instance->has_value());
  const core::CloudInstance& running = **instance;
  EXPECT_EQ(running.status, "RUNNING");
  EXPECT_FALSE(running.external_ip.empty());
  EXPECT_FALSE(running.internal_ip.empty());
  EXPECT_EQ(running.zone, "us-west1-b");
  EXPECT_EQ(running.machine_type, "n1-standard-4");
  EXPECT_EQ(running.accelerator, "nvidia-tesla-t4");
  EXPECT_EQ(running.accelerator_count, 1);
  EXPECT_FALSE(running.spot);
  EXPECT_EQ(running.labels.at("deepdock-env"), "bert");
  EXPECT_EQ(running.metadata.at("startup-script"), "#!/bin/sh\necho hello\n");
  // What arrived is what api-reference A.2 says a GPU VM needs.
  const std::vector<Json> posts = logged("POST", "/zones/us-west1-b/instances");
  ASSERT_EQ(posts.size(), 1U);
  EXPECT_EQ(posts[0]["body"]["scheduling"]["onHostMaintenance"], "TERMINATE");
  EXPECT_EQ(posts[0]["body"]["disks"][0]["initializeParams"]["diskSizeGb"], "50");

  const auto serial = client_->serial_output(kProject, "us-west1-b", "gpu-1", 0);
  ASSERT_TRUE(serial) << serial.error().message;
  EXPECT_NE(serial->contents.find("Starting startup scripts"), std::string::npos);
  EXPECT_EQ(serial->start, 0);
  EXPECT_EQ(serial->next, static_cast<int64_t>(serial->contents.size()));
  const auto rest = client_->serial_output(kProject, "us-west1-b", "gpu-1", serial->next);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->contents, "");

  const auto listed = client_->list_instances(kProject, {{"deepdock-env", "bert"}});
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].name, "gpu-1");
  EXPECT_TRUE(client_->list_instances(kProject, {{"deepdock-env", "other"}})->empty());

  const auto stopping = client_->stop_instance(kProject, "us-west1-b", "gpu-1", new_request_id());
  ASSERT_TRUE(stopping) << stopping.error().message;
  EXPECT_FALSE(wait(*stopping).error);
  EXPECT_EQ((*client_->get_instance(kProject, "us-west1-b", "gpu-1"))->status, "TERMINATED");
  const auto starting = client_->start_instance(kProject, "us-west1-b", "gpu-1", new_request_id());
  ASSERT_TRUE(starting) << starting.error().message;
  EXPECT_FALSE(wait(*starting).error);
  EXPECT_EQ((*client_->get_instance(kProject, "us-west1-b", "gpu-1"))->status, "RUNNING");

  const auto deleting = client_->delete_instance(kProject, "us-west1-b", "gpu-1", new_request_id());
  ASSERT_TRUE(deleting) << deleting.error().message;
  EXPECT_FALSE(wait(*deleting).error);
  const auto gone = client_->get_instance(kProject, "us-west1-b", "gpu-1");
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ComputeClientEmulatorTest, RepeatedRequestIdGivesTheSameOperationAndOneInstance) {
  start("basic.yaml");
  const std::string id = new_request_id();
  const auto first = client_->insert_instance(kProject, instance_spec("gpu-1", "us-west1-b"), id);
  const auto again = client_->insert_instance(kProject, instance_spec("gpu-1", "us-west1-b"), id);
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->name, again->name);
  EXPECT_FALSE(again->error);
  EXPECT_FALSE(wait(*again).error);
  EXPECT_EQ(client_->list_instances(kProject, {})->size(), 1U);

  // A new request for the same name is a new change, which the API refuses at once.
  const auto other =
      client_->insert_instance(kProject, instance_spec("gpu-1", "us-west1-b"), new_request_id());
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE(other->done() && other->error);
  EXPECT_EQ(other->error->reason, "alreadyExists");
  EXPECT_EQ(other->error->http_status, 409);

  const std::string delete_id = new_request_id();
  const auto deleting = client_->delete_instance(kProject, "us-west1-b", "gpu-1", delete_id);
  const auto deleting_again = client_->delete_instance(kProject, "us-west1-b", "gpu-1", delete_id);
  ASSERT_TRUE(deleting && deleting_again);
  EXPECT_EQ(deleting->name, deleting_again->name);
  EXPECT_FALSE(wait(*deleting_again).error);
  // Once it is done, the instance is gone, and the same request still names its operation.
  const auto after = client_->delete_instance(kProject, "us-west1-b", "gpu-1", delete_id);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->name, deleting->name);
  EXPECT_TRUE(after->done());
}

TEST_F(ComputeClientEmulatorTest, StockoutArrivesInTheOperation) {
  start("basic.yaml");
  const auto inserted =
      client_->insert_instance(kProject, instance_spec("gpu-1", "us-central1-a"), new_request_id());
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_FALSE(inserted->done());
  const core::CloudOperation done = wait(*inserted);
  ASSERT_TRUE(done.error);
  EXPECT_EQ(done.error->reason, "ZONE_RESOURCE_POOL_EXHAUSTED");
  EXPECT_EQ(done.error->http_status, 503);
  EXPECT_NE(done.error->message.find("does not have enough resources"), std::string::npos);
  EXPECT_FALSE(*client_->get_instance(kProject, "us-central1-a", "gpu-1"));

  // An accelerator the zone lacks is refused at once, as a failed operation too.
  const auto not_offered =
      client_->insert_instance(kProject, instance_spec("gpu-2", "us-central1-f"), new_request_id());
  ASSERT_TRUE(not_offered) << not_offered.error().message;
  ASSERT_TRUE(not_offered->error);
  EXPECT_EQ(not_offered->error->reason, "notFound");
  EXPECT_NE(not_offered->error->message.find("acceleratorTypes/nvidia-tesla-t4"),
            std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
