#include "adapters/gcp/compute_client.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/gcp/compute_json.hpp"
#include "unit/adapters/gcp/compute_test_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using namespace compute_test;  // NOLINT(google-build-using-namespace)
using core::HttpMethod;
using nlohmann::json;
using testing::reply;

TEST_F(ComputeClientTest, RequestsCarryTheTokenAndTheQuotaProject) {
  transport_->on(HttpMethod::kGet, path("/regions/us-west1"),
                 reply(200, R"({"name":"us-west1","status":"UP","quotas":[
                   {"metric":"NVIDIA_T4_GPUS","limit":1,"usage":0}]})"));
  const auto region = client_->get_region("p", "us-west1");
  ASSERT_TRUE(region) << region.error().message;
  EXPECT_EQ(region->quotas.at(0).metric, "NVIDIA_T4_GPUS");
  ASSERT_EQ(transport_->requests().size(), 1U);
  const auto& request = transport_->requests()[0];
  EXPECT_EQ(request.target, path("/regions/us-west1"));
  EXPECT_EQ(request.header("Authorization"), "Bearer token-1");
  EXPECT_EQ(request.header("x-goog-user-project"), "billing-project");
  EXPECT_EQ(request.header("Accept"), "application/json");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ComputeClientTest, ZonesAndProjectQuotasFollowPages) {
  transport_->on(HttpMethod::kGet, path("/zones?pageToken=page-2"),
                 reply(200, R"({"items":[{"name":"us-central1-a","status":"DOWN",
                   "region":"https://www.googleapis.com/compute/v1/projects/p/regions/us-central1"}]})"));
  transport_->on(HttpMethod::kGet, path("/zones"),
                 reply(200, R"({"items":[{"name":"us-west1-b","status":"UP",
                   "region":"https://www.googleapis.com/compute/v1/projects/p/regions/us-west1"}],
                   "nextPageToken":"page-2"})"));
  const auto zones = client_->list_zones("p");
  ASSERT_TRUE(zones) << zones.error().message;
  ASSERT_EQ(zones->size(), 2U);
  EXPECT_EQ((*zones)[0].region, "us-west1");
  EXPECT_EQ((*zones)[1].name, "us-central1-a");
  EXPECT_FALSE((*zones)[1].up);

  transport_->on(HttpMethod::kGet, path(""),
                 reply(200, R"({"name":"p","quotas":[{"metric":"GPUS_ALL_REGIONS","limit":4,
                   "usage":1}]})"));
  const auto quotas = client_->project_quotas("p");
  ASSERT_TRUE(quotas);
  ASSERT_EQ(quotas->size(), 1U);
  EXPECT_EQ((*quotas)[0].limit, 4.0);
  EXPECT_EQ(transport_->requests().back().target, path(""));
}

TEST_F(ComputeClientTest, AcceleratorOffersFilterByNameFollowPagesAndSkipWarnings) {
  transport_->once(HttpMethod::kGet, path("/aggregated/acceleratorTypes"), reply(200, R"({"items":{
                     "zones/us-west1-b":{"acceleratorTypes":[{"name":"nvidia-tesla-t4",
                       "zone":"us-west1-b","maximumCardsPerInstance":4}]},
                     "zones/us-east1-c":{"warning":{"code":"NO_RESULTS_ON_PAGE"}}},
                     "nextPageToken":"next/page+1"})"));
  // A server that ignores the filter: the other type is dropped here.
  transport_->once(HttpMethod::kGet, path("/aggregated/acceleratorTypes"),
                   reply(200, R"({"items":{"zones/us-central1-a":{"acceleratorTypes":[
                     {"name":"nvidia-tesla-t4","zone":"us-central1-a"},
                     {"name":"nvidia-l4","zone":"us-central1-a"}]}}})"));
  const auto offers = client_->accelerator_offers("p", "nvidia-tesla-t4");
  ASSERT_TRUE(offers) << offers.error().message;
  ASSERT_EQ(offers->size(), 2U);
  EXPECT_EQ((*offers)[0].zone, "us-west1-b");
  EXPECT_EQ((*offers)[0].max_per_instance, 4);
  EXPECT_EQ((*offers)[1].zone, "us-central1-a");
  const auto& requests = transport_->requests();
  ASSERT_EQ(requests.size(), 2U);
  const std::string first = path(
      "/aggregated/acceleratorTypes?filter=name%20%3D%20%22nvidia-tesla-t4%22"
      "&returnPartialSuccess=true");
  EXPECT_EQ(requests[0].target, first);
  EXPECT_EQ(requests[1].target, first + "&pageToken=next%2Fpage%2B1");
}

TEST_F(ComputeClientTest, ListInstancesFiltersByLabelsOnBothSides) {
  transport_->on(HttpMethod::kGet, path("/aggregated/instances"),
                 reply(200, R"({"items":{"zones/us-west1-b":{"instances":[
                   {"name":"mine","zone":"us-west1-b","status":"RUNNING",
                    "labels":{"deepdock-env":"bert","deepdock-managed":"true"}},
                   {"name":"other","zone":"us-west1-b","labels":{"deepdock-env":"gpt"}}]}}})"));
  const auto instances =
      client_->list_instances("p", {{"deepdock-env", "bert"}, {"deepdock-managed", "true"}});
  ASSERT_TRUE(instances) << instances.error().message;
  ASSERT_EQ(instances->size(), 1U);
  EXPECT_EQ((*instances)[0].name, "mine");
  EXPECT_EQ(
      transport_->requests()[0].target,
      path("/aggregated/instances?filter=") +
          util::url_encode(R"(labels.deepdock-env = "bert" AND labels.deepdock-managed = "true")") +
          "&returnPartialSuccess=true");
  EXPECT_EQ(label_filter({}), "");
  EXPECT_EQ(label_filter({{"a", R"(x"y)"}}), R"(labels.a = "x\"y")");
}

TEST_F(ComputeClientTest, InsertSendsTheBodyWithItsRequestId) {
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances"),
                 reply(200, operation_json("operation-1", "PENDING")));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  ASSERT_TRUE(operation) << operation.error().message;
  EXPECT_EQ(operation->name, "operation-1");
  EXPECT_EQ(operation->zone, "us-west1-b");
  EXPECT_EQ(operation->target, "gpu-1");
  EXPECT_FALSE(operation->done());
  const auto& request = transport_->requests().at(0);
  EXPECT_EQ(request.target, path("/zones/us-west1-b/instances?requestId=") + kRequestId);
  EXPECT_EQ(request.header("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(request.body), instance_insert_body(t4_spec()));
}

TEST_F(ComputeClientTest, ImmediateQuotaRefusalIsADoneOperationWithItsReason) {
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances"),
                 reply(403, google_error(403, "quotaExceeded",
                                         "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region "
                                         "us-west1.")));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  ASSERT_TRUE(operation) << operation.error().message;
  EXPECT_TRUE(operation->done());
  EXPECT_EQ(operation->operation_type, "insert");
  EXPECT_EQ(operation->zone, "us-west1-b");
  EXPECT_EQ(operation->target, "gpu-1");
  ASSERT_TRUE(operation->error);
  EXPECT_EQ(operation->error->reason, "quotaExceeded");
  EXPECT_EQ(operation->error->http_status, 403);
  EXPECT_NE(operation->error->message.find("'NVIDIA_T4_GPUS' exceeded"), std::string::npos);
  EXPECT_EQ(transport_->requests().size(), 1U) << "a quota refusal is not retried";
}

TEST_F(ComputeClientTest, InsertThatStaysUnavailableEndsAsAFailedOperation) {
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances"),
                 reply(503, json{{"error",
                                  {{"code", 503},
                                   {"message", "The service is currently unavailable."},
                                   {"status", "UNAVAILABLE"}}}}
                                .dump()));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  ASSERT_TRUE(operation) << operation.error().message;
  ASSERT_TRUE(operation->error);
  EXPECT_EQ(operation->error->reason, "UNAVAILABLE");
  EXPECT_EQ(operation->error->http_status, 503);
  EXPECT_EQ(transport_->requests().size(), 6U);
  EXPECT_EQ(sleeps_.size(), 5U);
}

TEST_F(ComputeClientTest, InsertWithoutAGoogleAnswerIsAnError) {
  transport_->on(HttpMethod::kPost, path("/zones/"), reply(502, "<html>Bad Gateway</html>"));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  EXPECT_TRUE(
      test::fails_with(operation, ErrorCode::kUnavailable,
                       "creating instance gpu-1 in us-west1-b of project p failed: HTTP 502"));
}

TEST_F(ComputeClientTest, RefusalsMapToErrorsWithWhatToDo) {
  transport_->on(HttpMethod::kGet, path("/zones/us-west1-b/instances/gone"),
                 reply(404, google_error(404, "notFound", "The resource was not found")));
  const auto gone = client_->get_instance("p", "us-west1-b", "gone");
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_FALSE(gone->has_value());

  transport_->on(HttpMethod::kGet, path("/zones/us-west1-b/machineTypes/n9"),
                 reply(404, google_error(404, "notFound", "The resource 'n9' was not found")));
  EXPECT_TRUE(test::fails_with(client_->get_machine_type("p", "us-west1-b", "n9"),
                               ErrorCode::kNotFound,
                               "reading machine type n9 in us-west1-b of project p failed: HTTP "
                               "404 notFound: The resource 'n9' was not found"));

  transport_->on(HttpMethod::kGet, path("/regions/forbidden"),
                 reply(403, google_error(403, "forbidden", "Required 'compute.regions.get'")));
  EXPECT_TRUE(test::fails_with(client_->get_region("p", "forbidden"), ErrorCode::kPermissionDenied,
                               "HTTP 403 forbidden",
                               "the test account has roles/compute.instanceAdmin.v1"));

  transport_->on(HttpMethod::kGet, path("/regions/disabled"),
                 reply(403, google_error(403, "accessNotConfigured",
                                         "Compute Engine API has not been used in project p")));
  EXPECT_TRUE(test::fails_with(client_->get_region("p", "disabled"), ErrorCode::kPermissionDenied,
                               "accessNotConfigured",
                               "gcloud services enable compute.googleapis.com --project p"));

  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances/gpu-1/start"),
                 reply(400, google_error(400, "resourceNotReady", "is not ready")));
  EXPECT_TRUE(test::fails_with(client_->start_instance("p", "us-west1-b", "gpu-1", kRequestId),
                               ErrorCode::kInvalidInput, "starting instance gpu-1"));

  transport_->on(HttpMethod::kGet, path("/regions/busy"),
                 reply(500, google_error(500, "backendError", "Internal error")));
  EXPECT_TRUE(test::fails_with(client_->get_region("p", "busy"), ErrorCode::kUnavailable,
                               "HTTP 500 backendError", "try again in a few minutes"));
  EXPECT_EQ(sleeps_.size(), 5U);
}

TEST_F(ComputeClientTest, InstanceChangesCarryTheirRequestIds) {
  transport_->on(HttpMethod::kDelete, path("/zones/us-west1-b/instances/gpu-1"),
                 reply(200, operation_json("op-delete", "RUNNING", "delete")));
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances/gpu-1/stop"),
                 reply(200, operation_json("op-stop", "DONE", "stop")));
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/instances/gpu-1/start"),
                 reply(200, operation_json("op-start", "PENDING", "start")));
  EXPECT_EQ(client_->delete_instance("p", "us-west1-b", "gpu-1", "id-1")->operation_type, "delete");
  EXPECT_TRUE(client_->stop_instance("p", "us-west1-b", "gpu-1", "id-2")->done());
  EXPECT_EQ(client_->start_instance("p", "us-west1-b", "gpu-1", "id-3")->name, "op-start");
  const auto& requests = transport_->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].target, path("/zones/us-west1-b/instances/gpu-1?requestId=id-1"));
  EXPECT_EQ(requests[1].target, path("/zones/us-west1-b/instances/gpu-1/stop?requestId=id-2"));
  EXPECT_EQ(requests[2].target, path("/zones/us-west1-b/instances/gpu-1/start?requestId=id-3"));
  EXPECT_EQ(requests[1].body, "");
}

TEST_F(ComputeClientTest, WaitIsAPostWithALongTimeoutAndSerialOutputReadsPortOne) {
  transport_->on(HttpMethod::kPost, path("/zones/us-west1-b/operations/operation-1/wait"),
                 reply(200, operation_json("operation-1", "DONE")));
  const auto done = client_->wait_operation("p", "us-west1-b", "operation-1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->done());
  EXPECT_GE(transport_->requests().back().timeout, std::chrono::seconds(120));

  transport_->on(HttpMethod::kGet, path("/zones/us-west1-b/instances/gpu-1/serialPort"),
                 reply(200, R"({"contents":"boot\n","start":"100","next":"105"})"));
  const auto output = client_->serial_output("p", "us-west1-b", "gpu-1", 42);
  ASSERT_TRUE(output) << output.error().message;
  EXPECT_EQ(output->start, 100);
  EXPECT_EQ(output->next, 105);
  EXPECT_EQ(transport_->requests().back().target,
            path("/zones/us-west1-b/instances/gpu-1/serialPort?port=1&start=42"));
}

TEST_F(ComputeClientTest, PagesThatNeverEndAreAnError) {
  transport_->on(HttpMethod::kGet, path("/zones"),
                 reply(200, R"({"items":[{"name":"z"}],"nextPageToken":"same"})"));
  EXPECT_TRUE(test::fails_with(client_->list_zones("p"), ErrorCode::kFailure, "further pages"));
  EXPECT_EQ(transport_->requests().size(), 2U);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
