#include "adapters/gcp/compute_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

constexpr const char* kZoneUrl =
    "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a";

json running_instance() {
  return json::parse(R"({
    "kind": "compute#instance", "id": "4518000000000000001", "name": "gpu-runner-1",
    "zone": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a",
    "machineType": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/machineTypes/n1-standard-8",
    "status": "RUNNING", "statusMessage": "",
    "guestAccelerators": [{"acceleratorType": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4", "acceleratorCount": 2}],
    "scheduling": {"onHostMaintenance": "TERMINATE", "provisioningModel": "SPOT"},
    "networkInterfaces": [{"networkIP": "10.128.0.7",
      "accessConfigs": [{"type": "ONE_TO_ONE_NAT", "natIP": "203.0.113.9"}]}],
    "labels": {"deepdock-managed": "true", "deepdock-env": "bert"},
    "metadata": {"fingerprint": "x", "items": [{"key": "startup-script", "value": "#!/bin/sh\n"},
                                               {"key": "enable-oslogin", "value": "FALSE"}]},
    "creationTimestamp": "2024-05-01T10:00:00.000-07:00",
    "lastStartTimestamp": "2024-05-01T10:00:30.000-07:00"
  })");
}

TEST(ComputeJsonTest, LastSegmentIgnoresTheHostAndTrailingSlashes) {
  EXPECT_EQ(last_segment(kZoneUrl), "us-central1-a");
  EXPECT_EQ(last_segment("http://127.0.0.1:8089/compute/v1/projects/p/regions/us-west1/"),
            "us-west1");
  EXPECT_EQ(last_segment("zones/us-west1-b/machineTypes/g2-standard-8"), "g2-standard-8");
  EXPECT_EQ(last_segment("n1-standard-4"), "n1-standard-4");
  EXPECT_EQ(last_segment(""), "");
}

TEST(ComputeJsonTest, InstanceFieldsAreReadAndUrlsReducedToNames) {
  const auto instance = parse_instance(running_instance());
  ASSERT_TRUE(instance) << instance.error().message;
  EXPECT_EQ(instance->name, "gpu-runner-1");
  EXPECT_EQ(instance->zone, "us-central1-a");
  EXPECT_EQ(instance->status, "RUNNING");
  EXPECT_EQ(instance->machine_type, "n1-standard-8");
  EXPECT_EQ(instance->accelerator, "nvidia-tesla-t4");
  EXPECT_EQ(instance->accelerator_count, 2);
  EXPECT_TRUE(instance->spot);
  EXPECT_EQ(instance->external_ip, "203.0.113.9");
  EXPECT_EQ(instance->internal_ip, "10.128.0.7");
  EXPECT_EQ(instance->labels.at("deepdock-env"), "bert");
  EXPECT_EQ(instance->metadata.at("startup-script"), "#!/bin/sh\n");
  EXPECT_EQ(instance->metadata.size(), 2U);
  EXPECT_EQ(instance->creation_timestamp, "2024-05-01T10:00:00.000-07:00");
  EXPECT_EQ(instance->last_start_timestamp, "2024-05-01T10:00:30.000-07:00");
}

TEST(ComputeJsonTest, ProvisioningInstanceHasNoAddressYetAndOddFieldsReadAsAbsent) {
  json provisioning = running_instance();
  provisioning["status"] = "PROVISIONING";
  provisioning["networkInterfaces"][0]["accessConfigs"][0].erase("natIP");
  provisioning["scheduling"] = {{"preemptible", true}};
  provisioning["guestAccelerators"] = "not a list";
  provisioning["labels"] = {{"ok", "yes"}, {"number", 3}};
  const auto instance = parse_instance(provisioning);
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->external_ip, "");
  EXPECT_TRUE(instance->spot) << "the legacy preemptible flag is Spot too";
  EXPECT_EQ(instance->accelerator, "");
  EXPECT_EQ(instance->accelerator_count, 0);
  EXPECT_EQ(instance->labels, (std::map<std::string, std::string>{{"ok", "yes"}}));

  json standard = running_instance();
  standard["scheduling"] = {{"provisioningModel", "STANDARD"}};
  EXPECT_FALSE(parse_instance(standard)->spot);
  EXPECT_FALSE(parse_instance(json::object()));
  EXPECT_FALSE(parse_instance(json::array()));
}

TEST(ComputeJsonTest, FailedOperationCarriesCodeMessagesAndHttpStatus) {
  // api-reference A.3, the terminal failure example.
  const auto operation = parse_operation(json::parse(R"({
    "kind": "compute#operation", "name": "operation-1536679018444-57599f70734e0",
    "zone": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a",
    "operationType": "insert",
    "targetLink": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instances/gpu-runner-1",
    "status": "DONE", "progress": 100, "httpErrorStatusCode": 503,
    "httpErrorMessage": "SERVICE UNAVAILABLE",
    "error": {"errors": [
      {"code": "ZONE_RESOURCE_POOL_EXHAUSTED", "message": "The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.",
       "errorDetails": [{"help": {"links": []}}]},
      {"code": "OTHER", "message": "second"}]}
  })"));
  ASSERT_TRUE(operation) << operation.error().message;
  EXPECT_TRUE(operation->done());
  EXPECT_EQ(operation->zone, "us-central1-a");
  EXPECT_EQ(operation->target, "gpu-runner-1");
  EXPECT_EQ(operation->operation_type, "insert");
  EXPECT_EQ(operation->progress, 100);
  ASSERT_TRUE(operation->error);
  EXPECT_EQ(operation->error->reason, "ZONE_RESOURCE_POOL_EXHAUSTED");
  EXPECT_EQ(operation->error->message,
            "The zone 'projects/p/zones/us-central1-a' does not have enough resources available "
            "to fulfill the request.; second");
  EXPECT_EQ(operation->error->http_status, 503);
}

TEST(ComputeJsonTest, RunningOperationHasNoErrorAndBrokenOnesAreErrors) {
  const auto running = parse_operation(
      {{"name", "operation-1"}, {"status", "RUNNING"}, {"zone", kZoneUrl}, {"progress", 40}});
  ASSERT_TRUE(running);
  EXPECT_FALSE(running->done());
  EXPECT_FALSE(running->error);
  EXPECT_EQ(running->progress, 40);
  const auto bare_error = parse_operation(
      {{"name", "op"}, {"status", "DONE"}, {"error", json::object()}, {"httpErrorMessage", "X"}});
  ASSERT_TRUE(bare_error && bare_error->error);
  EXPECT_EQ(bare_error->error->reason, "OPERATION_FAILED");
  EXPECT_EQ(bare_error->error->message, "X");
  EXPECT_EQ(bare_error->error->http_status, 0);
  const auto nameless = parse_operation({{"status", "DONE"}});
  ASSERT_FALSE(nameless);
  EXPECT_NE(nameless.error().message.find("operation that has no name"), std::string::npos);
  EXPECT_FALSE(parse_operation({{"name", "op"}}));
}

TEST(ComputeJsonTest, GoogleErrorsInTheLegacyShape) {
  // api-reference A.4.
  const GoogleError error = parse_google_error(403, R"({"error":{"code":403,
    "message":"Quota 'CPUS' exceeded.  Limit: 24.0 in region us-west1.",
    "errors":[{"message":"Quota 'CPUS' exceeded.  Limit: 24.0 in region us-west1.",
               "domain":"usageLimits","reason":"quotaExceeded"}]}})");
  EXPECT_TRUE(error.from_google);
  EXPECT_EQ(error.http_status, 403);
  EXPECT_EQ(error.reason, "quotaExceeded");
  EXPECT_EQ(error.detail, "quotaExceeded");
  EXPECT_EQ(error.message, "Quota 'CPUS' exceeded.  Limit: 24.0 in region us-west1.");
}

TEST(ComputeJsonTest, GoogleErrorsInTheNewerShapeUseStatusAndErrorInfo) {
  const GoogleError error = parse_google_error(403, R"({"error":{"code":403,
    "message":"Compute Engine API has not been used in project 12 before or it is disabled.",
    "status":"PERMISSION_DENIED",
    "details":[{"@type":"type.googleapis.com/google.rpc.Help","links":[]},
               {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED",
                "domain":"googleapis.com"}]}})");
  EXPECT_TRUE(error.from_google);
  EXPECT_EQ(error.reason, "PERMISSION_DENIED");
  EXPECT_EQ(error.detail, "SERVICE_DISABLED");
  const GoogleError message_only =
      parse_google_error(400, R"({"error":{"errors":[{"message":"bad","reason":"invalid"}]}})");
  EXPECT_EQ(message_only.message, "bad");
  EXPECT_EQ(message_only.reason, "invalid");
}

TEST(ComputeJsonTest, BodiesThatAreNotGoogleErrorsAreMarked) {
  for (const char* body :
       {"<html>Bad Gateway</html>", "", R"({"error":"invalid_grant"})", R"({"message":"x"})"}) {
    const GoogleError error = parse_google_error(502, body);
    EXPECT_FALSE(error.from_google) << body;
    EXPECT_EQ(error.http_status, 502);
    EXPECT_EQ(error.reason, "");
  }
}

TEST(ComputeJsonTest, PagesOfPlainAndAggregatedLists) {
  const ListPage plain = parse_list_page(
      json::parse(R"({"items":[{"name":"a"},{"name":"b"}],"nextPageToken":"t2"})"), "zones");
  EXPECT_EQ(plain.items.size(), 2U);
  EXPECT_EQ(plain.next_page_token, "t2");

  const ListPage aggregated = parse_list_page(json::parse(R"({
    "kind": "compute#acceleratorTypeAggregatedList",
    "items": {
      "zones/us-west1-b": {"acceleratorTypes": [{"name": "nvidia-tesla-t4"}, {"name": "nvidia-l4"}]},
      "zones/us-east1-c": {"warning": {"code": "NO_RESULTS_ON_PAGE", "message": "none"}},
      "zones/us-central1-a": {"acceleratorTypes": [{"name": "nvidia-tesla-t4"}]}
    },
    "unreachables": ["zones/asia-east1-a"]
  })"),
                                              "acceleratorTypes");
  EXPECT_EQ(aggregated.items.size(), 3U);
  EXPECT_EQ(aggregated.next_page_token, "");
  EXPECT_EQ(aggregated.unreachables, std::vector<std::string>{"zones/asia-east1-a"});

  EXPECT_TRUE(parse_list_page(json::parse(R"({"kind":"compute#instanceList"})"), "instances")
                  .items.empty());
}

TEST(ComputeJsonTest, ZonesRegionsAndQuotas) {
  const auto zone =
      parse_zone({{"name", "us-west1-b"},
                  {"region", "https://www.googleapis.com/compute/v1/projects/p/regions/us-west1"},
                  {"status", "DOWN"}});
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->region, "us-west1");
  EXPECT_FALSE(zone->up);

  const auto region = parse_region(json::parse(R"({"name":"us-west1","status":"UP",
    "zones":["https://www.googleapis.com/compute/v1/projects/p/zones/us-west1-a",
             "https://www.googleapis.com/compute/v1/projects/p/zones/us-west1-b"],
    "quotas":[{"metric":"NVIDIA_T4_GPUS","limit":4.0,"usage":1.0},
              {"metric":"CPUS","limit":24,"usage":8},{"limit":3}]})"));
  ASSERT_TRUE(region);
  EXPECT_TRUE(region->up);
  EXPECT_EQ(region->zones, (std::vector<std::string>{"us-west1-a", "us-west1-b"}));
  ASSERT_EQ(region->quotas.size(), 2U) << "a quota without a metric is dropped";
  EXPECT_EQ(region->quotas[0].metric, "NVIDIA_T4_GPUS");
  EXPECT_EQ(region->quotas[0].limit, 4.0);
  EXPECT_EQ(region->quotas[1].usage, 8.0);
  EXPECT_FALSE(parse_region({{"status", "UP"}}));
}

TEST(ComputeJsonTest, MachineAndAcceleratorTypes) {
  const auto g2 = parse_machine_type(json::parse(R"({"name":"g2-standard-8","zone":"us-central1-a",
    "guestCpus":8,"memoryMb":32768,
    "accelerators":[{"guestAcceleratorType":"nvidia-l4","guestAcceleratorCount":1}]})"));
  ASSERT_TRUE(g2);
  EXPECT_EQ(g2->zone, "us-central1-a");
  EXPECT_EQ(g2->guest_cpus, 8);
  EXPECT_EQ(g2->memory_mb, 32768);
  EXPECT_EQ(g2->built_in_accelerator, "nvidia-l4");
  EXPECT_EQ(g2->built_in_accelerator_count, 1);
  const auto n1 = parse_machine_type({{"name", "n1-standard-4"}, {"guestCpus", 4}});
  ASSERT_TRUE(n1);
  EXPECT_EQ(n1->built_in_accelerator, "");
  EXPECT_EQ(n1->built_in_accelerator_count, 0);

  const auto offer = parse_accelerator_type({{"name", "nvidia-l4"},
                                             {"description", "NVIDIA L4"},
                                             {"maximumCardsPerInstance", 8},
                                             {"zone", kZoneUrl}});
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->zone, "us-central1-a");
  EXPECT_EQ(offer->description, "NVIDIA L4");
  EXPECT_EQ(offer->max_per_instance, 8);
}

TEST(ComputeJsonTest, SerialOutputOffsetsAreInt64Strings) {
  const auto output =
      parse_serial_output({{"contents", "boot\n"}, {"start", "1048576"}, {"next", "1048581"}});
  ASSERT_TRUE(output);
  EXPECT_EQ(output->contents, "boot\n");
  EXPECT_EQ(output->start, 1048576);
  EXPECT_EQ(output->next, 1048581);
  const auto without_next = parse_serial_output({{"contents", "abc"}, {"start", "7"}});
  ASSERT_TRUE(without_next);
  EXPECT_EQ(without_next->next, 10);
  EXPECT_FALSE(parse_serial_output({{"start", "0"}}));
}

core::CloudInstanceSpec spot_l4_spec() {
  core::CloudInstanceSpec spec;
  spec.name = "gpu-runner-1";
  spec.zone = "us-central1-a";
  spec.machine_type = "g2-standard-8";
  spec.accelerator = "nvidia-l4";
  spec.accelerator_count = 1;
  spec.source_image = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts";
  spec.disk_gb = 200;
  spec.spot = true;
  spec.tags = {"gpu-runner"};
  spec.labels = {{"managed-by", "mytool"}};
  spec.metadata = {{"startup-script", "#!/bin/bash\nset -euxo pipefail\necho hello\n"},
                   {"enable-guest-attributes", "TRUE"}};
  return spec;
}

TEST(ComputeJsonTest, InsertBodyIsTheApiReferenceExample) {
  // api-reference A.2, "Example: instances.insert body"; metadata items in key order.
  const json expected = json::parse(R"({
    "name": "gpu-runner-1",
    "machineType": "zones/us-central1-a/machineTypes/g2-standard-8",
    "disks": [{"boot": true, "autoDelete": true, "type": "PERSISTENT",
      "initializeParams": {
        "sourceImage": "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts",
        "diskSizeGb": "200",
        "diskType": "zones/us-central1-a/diskTypes/pd-balanced"}}],
    "guestAccelerators": [{"acceleratorType": "zones/us-central1-a/acceleratorTypes/nvidia-l4", "acceleratorCount": 1}],
    "scheduling": {"onHostMaintenance": "TERMINATE", "automaticRestart": false,
                   "provisioningModel": "SPOT", "instanceTerminationAction": "STOP"},
    "metadata": {"items": [
      {"key": "enable-guest-attributes", "value": "TRUE"},
      {"key": "startup-script", "value": "#!/bin/bash\nset -euxo pipefail\necho hello\n"}]},
    "serviceAccounts": [{"email": "default", "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
    "tags": {"items": ["gpu-runner"]},
    "labels": {"managed-by": "mytool"},
    "networkInterfaces": [{"network": "global/networks/default",
      "accessConfigs": [{"type": "ONE_TO_ONE_NAT", "name": "External NAT", "networkTier": "PREMIUM"}]}]
  })");
  EXPECT_EQ(instance_insert_body(spot_l4_spec()), expected)
      << instance_insert_body(spot_l4_spec()).dump(2);
}

TEST(ComputeJsonTest, OnDemandInsertWithoutAcceleratorRestartsAndHasNoGpus) {
  core::CloudInstanceSpec spec = spot_l4_spec();
  spec.spot = false;
  spec.accelerator.clear();
  spec.tags.clear();
  spec.labels.clear();
  spec.disk_type = "pd-ssd";
  const json body = instance_insert_body(spec);
  EXPECT_FALSE(body.contains("guestAccelerators"));
  EXPECT_FALSE(body.contains("tags"));
  EXPECT_FALSE(body.contains("labels"));
  EXPECT_EQ(body["scheduling"], json::parse(R"({"onHostMaintenance":"TERMINATE",
                                                "automaticRestart":true})"));
  EXPECT_EQ(body["disks"][0]["initializeParams"]["diskType"],
            "zones/us-central1-a/diskTypes/pd-ssd");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
