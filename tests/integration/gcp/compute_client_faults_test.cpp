// The Compute Engine client against deepdock-gcp-emulator's faults: refusals at once, bursts
// of 429 and 503, short pages, a refused token, and what the emulator itself refuses.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "adapters/gcp/compute_client.hpp"
#include "adapters/gcp/compute_json.hpp"
#include "integration/gcp/compute_emulator_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using namespace compute_emulator_test;  // NOLINT(google-build-using-namespace)

TEST_F(ComputeClientEmulatorTest, ImmediateQuotaRefusalIsADoneOperation) {
  start("faults.yaml");
  const auto inserted =
      client_->insert_instance(kProject, instance_spec("gpu-1", "us-east1-c"), new_request_id());
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_TRUE(inserted->done());
  ASSERT_TRUE(inserted->error);
  EXPECT_EQ(inserted->error->reason, "quotaExceeded");
  EXPECT_EQ(inserted->error->http_status, 403);
  EXPECT_EQ(inserted->error->message,
            "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-east1.");
  EXPECT_EQ(logged("POST", "/zones/us-east1-c/instances").size(), 1U);
}

TEST_F(ComputeClientEmulatorTest, BurstsOf429And503AreSurvived) {
  start("faults.yaml");
  const auto region = client_->get_region(kProject, "us-west1");
  ASSERT_TRUE(region) << region.error().message;
  const std::vector<Json> gets = logged("GET", "/regions/us-west1");
  ASSERT_EQ(gets.size(), 4U);
  EXPECT_EQ(gets[0]["status"], 429);
  EXPECT_EQ(gets[3]["status"], 200);
  EXPECT_EQ(sleeps_.size(), 3U);

  // Two 503s, then the insert goes through, into the zone's one stockout.
  const std::string id = new_request_id();
  const auto inserted = client_->insert_instance(kProject, instance_spec("c-1", "us-west1-c"), id);
  ASSERT_TRUE(inserted) << inserted.error().message;
  const std::vector<Json> posts = logged("POST", "/zones/us-west1-c/instances");
  ASSERT_EQ(posts.size(), 3U);
  for (const Json& post : posts) {
    EXPECT_EQ(post["query"], "requestId=" + id);
  }
  EXPECT_EQ(posts[1]["status"], 503);
  EXPECT_EQ(posts[2]["status"], 200);
  const core::CloudOperation done = wait(*inserted);
  ASSERT_TRUE(done.error);
  EXPECT_EQ(done.error->reason, "ZONE_RESOURCE_POOL_EXHAUSTED");

  const auto retried =
      client_->insert_instance(kProject, instance_spec("c-1", "us-west1-c"), new_request_id());
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_FALSE(wait(*retried).error);
}

TEST_F(ComputeClientEmulatorTest, ListsAreFollowedAcrossPages) {
  start("faults.yaml");  // pages of at most two items
  const auto zones = client_->list_zones(kProject);
  ASSERT_TRUE(zones) << zones.error().message;
  EXPECT_EQ(zones->size(), 4U);

  const auto offers = client_->accelerator_offers(kProject, "nvidia-tesla-t4");
  ASSERT_TRUE(offers) << offers.error().message;
  std::set<std::string> zones_offering;
  for (const auto& offer : *offers) {
    zones_offering.insert(offer.zone);
  }
  EXPECT_EQ(zones_offering,
            (std::set<std::string>{"us-west1-a", "us-west1-b", "us-west1-c", "us-east1-c"}));
  EXPECT_EQ(logged("GET", "/aggregated/acceleratorTypes").size(), 2U);

  for (const std::string name : {"cpu-1", "cpu-2", "cpu-3", "cpu-4"}) {
    core::CloudInstanceSpec spec = instance_spec(name, "us-west1-a", "");
    if (name == "cpu-4") {
      spec.labels["deepdock-env"] = "other";
    }
    const auto inserted = client_->insert_instance(kProject, spec, new_request_id());
    ASSERT_TRUE(inserted) << inserted.error().message;
    EXPECT_FALSE(wait(*inserted).error) << name;
  }
  const auto mine =
      client_->list_instances(kProject, {{"deepdock-managed", "true"}, {"deepdock-env", "bert"}});
  ASSERT_TRUE(mine) << mine.error().message;
  std::set<std::string> names;
  for (const auto& instance : *mine) {
    names.insert(instance.name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"cpu-1", "cpu-2", "cpu-3"}));
  const std::vector<Json> lists = logged("GET", "/aggregated/instances");
  ASSERT_EQ(lists.size(), 2U);
  EXPECT_NE(lists[0]["query"].get<std::string>().find("filter=labels.deepdock-env"),
            std::string::npos)
      << lists[0]["query"];
  EXPECT_NE(lists[1]["query"].get<std::string>().find("pageToken="), std::string::npos);
  EXPECT_EQ(client_->list_instances(kProject, {})->size(), 4U);
}

TEST_F(ComputeClientEmulatorTest, RefusedTokenIsFetchedAgain) {
  start("basic.yaml", 1);
  const auto zones = client_->list_zones(kProject);
  ASSERT_TRUE(zones) << zones.error().message;
  const std::vector<Json> requests = logged("GET", "/zones");
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0]["status"], 401);
  EXPECT_EQ(requests[1]["status"], 200);
  EXPECT_EQ(tokens_->calls, 2);

  start("basic.yaml", 5);
  EXPECT_TRUE(test::fails_with(client_->get_region(kProject, "us-west1"),
                               ErrorCode::kPermissionDenied,
                               "Google refused the access token of the scenario's token"));
}

TEST_F(ComputeClientEmulatorTest, EmulatorRefusesWhatGoogleRefusesInListsAndRequestIds) {
  start("basic.yaml");
  auto raw = emulator_->client();
  const std::string base = "/compute/v1/projects/deepdock-test";
  const auto bad_id = raw.Post(base + "/zones/us-west1-b/instances?requestId=not-a-uuid",
                               instance_insert_body(instance_spec("gpu-1", "us-west1-b")).dump(),
                               "application/json");
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400);
  EXPECT_NE(bad_id->body.find("requestId"), std::string::npos);
  const auto zero_id = raw.Delete(base + "/zones/us-west1-b/instances/gpu-1?requestId=" +
                                  "00000000-0000-0000-0000-000000000000");
  ASSERT_TRUE(zero_id);
  EXPECT_EQ(zero_id->status, 400);
  const auto unsupported = raw.Get(
      base + "/aggregated/instances?filter=" + util::url_encode(R"(name = "a" OR name = "b")"));
  ASSERT_TRUE(unsupported);
  EXPECT_EQ(unsupported->status, 400);
  const auto bad_page = raw.Get(base + "/zones?pageToken=forged");
  ASSERT_TRUE(bad_page);
  EXPECT_EQ(bad_page->status, 400);

  const auto regex = raw.Get(base + "/aggregated/acceleratorTypes?maxResults=1&filter=" +
                             util::url_encode("(name eq nvidia-.*) (zone ne .*us-west1-b)"));
  ASSERT_TRUE(regex);
  ASSERT_EQ(regex->status, 200) << regex->body;
  const Json page = Json::parse(regex->body);
  EXPECT_EQ(page["items"]["zones/us-central1-a"]["acceleratorTypes"][0]["name"], "nvidia-tesla-t4");
  EXPECT_EQ(page["items"]["zones/us-west1-b"]["warning"]["code"], "NO_RESULTS_ON_PAGE");
  EXPECT_EQ(page["items"]["zones/us-central1-f"]["warning"]["code"], "NO_RESULTS_ON_PAGE");
  EXPECT_EQ(page["nextPageToken"], "emulator-page-1");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
