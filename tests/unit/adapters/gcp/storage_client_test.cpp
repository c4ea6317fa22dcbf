// StorageClient over a FakeTransport: the requests' shapes (api-reference C.1), the bucket
// made when missing, the upload replayed whole on a retry, reads from an offset, and
// Google's refusals turned into errors with their fix.

#include "adapters/gcp/storage_client.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "unit/adapters/gcp/service_test_support.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using nlohmann::json;
using test::fails_with;
using test::google_status_error;
using testing::FakeTransport;
using testing::reply;
using testing::transport_error;

class StorageClientTest : public ::testing::Test {
 protected:
  StorageClient client(int attempts = 4) {
    return StorageClient(
        test::caller_for(transport_, tokens_, storage_service_info(), sleeps_, attempts));
  }

  FakeTransport transport_;
  test::CountingTokens tokens_;
  test::RecordedSleeps sleeps_;
  test::ScratchDir scratch_;
};

std::string bucket_json(const std::string& name) {
  return json{{"kind", "storage#bucket"}, {"name", name}, {"location", "US"}}.dump();
}

TEST_F(StorageClientTest, AnExistingBucketIsLeftAlone) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/p_cloudbuild", reply(200, bucket_json("x")));
  ASSERT_TRUE(client().ensure_bucket("p", "p_cloudbuild"));
  ASSERT_EQ(transport_.requests().size(), 1U);
  EXPECT_EQ(transport_.requests()[0].header("Authorization"), "Bearer token-1");
}

TEST_F(StorageClientTest, AMissingBucketIsCreatedInTheProject) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/p_cloudbuild",
                reply(404, google_status_error(404, "NOT_FOUND", "The bucket does not exist.")));
  transport_.on(HttpMethod::kPost, "/storage/v1/b?project=p",
                reply(200, bucket_json("p_cloudbuild")));
  ASSERT_TRUE(client().ensure_bucket("p", "p_cloudbuild"));
  const testing::RecordedRequest* insert = transport_.last("/storage/v1/b?project=p");
  ASSERT_NE(insert, nullptr);
  EXPECT_EQ(insert->method, HttpMethod::kPost);
  EXPECT_EQ(json::parse(insert->body), (json{{"name", "p_cloudbuild"}, {"location", "US"}}));
  EXPECT_EQ(insert->header("Content-Type"), "application/json");
}

TEST_F(StorageClientTest, ABucketWeMayNotUseAsksForTheStorageAdminRole) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/p_cloudbuild",
                reply(403, google_status_error(403, "PERMISSION_DENIED",
                                               "caller does not have storage.buckets.get access")));
  const Status ensured = client().ensure_bucket("p", "p_cloudbuild");
  EXPECT_TRUE(fails_with(ensured, ErrorCode::kPermissionDenied, "storage.buckets.get access",
                         "roles/storage.admin"));
  EXPECT_EQ(transport_.requests().size(), 1U);  // a 403 is not retried
}

TEST_F(StorageClientTest, ABucketNameAnotherProjectHoldsIsAConflict) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/p_cloudbuild",
                reply(404, google_status_error(404, "NOT_FOUND", "no such bucket")));
  transport_.on(HttpMethod::kPost, "/storage/v1/b?project=p",
                reply(409, google_status_error(409, "ALREADY_EXISTS",
                                               "The requested bucket name is not available.")));
  EXPECT_TRUE(fails_with(client().ensure_bucket("p", "p_cloudbuild"), ErrorCode::kConflict,
                         "bucket name is not available", "belongs to another project"));
}

TEST_F(StorageClientTest, AnAPINotEnabledSaysHowToEnableIt) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/p_cloudbuild",
                reply(403, google_status_error(
                               403, "PERMISSION_DENIED",
                               "Cloud Storage API has not been used in project 1 before or it "
                               "is disabled.",
                               "SERVICE_DISABLED")));
  EXPECT_TRUE(fails_with(client().ensure_bucket("p", "p_cloudbuild"), ErrorCode::kPrecondition,
                         "has not been used",
                         "gcloud services enable storage.googleapis.com --project p"));
}

TEST_F(StorageClientTest, UploadSendsTheFileAsASimpleMediaUpload) {
  const auto file = scratch_.write("ctx.tgz", std::string("\x1f\x8b source bytes", 15));
  transport_.on(HttpMethod::kPost, "/upload/storage/v1/b/bkt/o",
                reply(200, json{{"bucket", "bkt"},
                                {"name", "source/1.5-ab.tgz"},
                                {"generation", "1700000000000042"}}
                               .dump()));
  const auto stored = client().upload_file("bkt", "source/1.5-ab.tgz", file, "application/gzip");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->bucket, "bkt");
  EXPECT_EQ(stored->name, "source/1.5-ab.tgz");
  EXPECT_EQ(stored->generation, "1700000000000042");
  const testing::RecordedRequest& upload = transport_.requests().at(0);
  EXPECT_EQ(upload.target, "/upload/storage/v1/b/bkt/o?uploadType=media&name=source%2F1.5-ab.tgz");
  EXPECT_EQ(upload.header("Content-Type"), "application/gzip");
  EXPECT_EQ(upload.body, std::string("\x1f\x8b source bytes", 15));
}

TEST_F(StorageClientTest, AnUploadRefusedFor503IsSentAgainWhole) {
  const auto file = scratch_.write("ctx.tgz", "the whole context");
  transport_.once(HttpMethod::kPost, "/upload/",
                  reply(503, google_status_error(503, "UNAVAILABLE", "Backend Error")));
  transport_.once(HttpMethod::kPost, "/upload/", transport_error(ErrorCode::kUnavailable, "reset"));
  transport_.on(HttpMethod::kPost, "/upload/", reply(200, json{{"generation", "7"}}.dump()));
  const auto stored = client().upload_file("bkt", "o.tgz", file, "application/gzip");
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(transport_.requests().size(), 3U);
  for (const auto& request : transport_.requests()) {
    EXPECT_EQ(request.body, "the whole context");
  }
  ASSERT_EQ(sleeps_.delays.size(), 2U);
  EXPECT_GE(sleeps_.delays[0].count(), 50);  // half of the first back-off is fixed
  EXPECT_GE(sleeps_.delays[1].count(), 100);
}

TEST_F(StorageClientTest, A5xxThatLastsGivesUpAfterTheScheduledTries) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/",
                reply(500, google_status_error(500, "INTERNAL", "Backend Error")));
  EXPECT_TRUE(fails_with(client(3).ensure_bucket("p", "b"), ErrorCode::kUnavailable,
                         "Backend Error", "try again"));
  EXPECT_EQ(transport_.requests().size(), 3U);
  EXPECT_EQ(sleeps_.delays.size(), 2U);
}

TEST_F(StorageClientTest, ARefusedTokenIsFetchedAgainOnce) {
  transport_.once(HttpMethod::kGet, "/storage/v1/b/b",
                  reply(401, google_status_error(401, "UNAUTHENTICATED", "Invalid Credentials")));
  transport_.on(HttpMethod::kGet, "/storage/v1/b/b", reply(200, bucket_json("b")));
  ASSERT_TRUE(client().ensure_bucket("p", "b"));
  ASSERT_EQ(transport_.requests().size(), 2U);
  EXPECT_EQ(transport_.requests()[1].header("Authorization"), "Bearer token-2");
}

TEST_F(StorageClientTest, ReadsFromAnOffsetWithARange) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/logs/o/build%2Flog-1.txt?alt=media",
                reply(206, "line 2\n"));
  const auto text = client().read_object("logs", "build/log-1.txt", 7);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "line 2\n");
  EXPECT_EQ(transport_.requests()[0].header("Range"), "bytes=7-");
}

TEST_F(StorageClientTest, ReadsNothingBeforeTheObjectExistsOrPastItsEnd) {
  transport_.once(HttpMethod::kGet, "/storage/v1/b/logs/o/",
                  reply(404, google_status_error(404, "NOT_FOUND", "No such object")));
  transport_.once(HttpMethod::kGet, "/storage/v1/b/logs/o/", reply(416, ""));
  EXPECT_EQ(client().read_object("logs", "log-1.txt", 0).value(), "");
  EXPECT_EQ(client().read_object("logs", "log-1.txt", 40).value(), "");
  EXPECT_EQ(transport_.requests()[0].header("Range"), "");  // from the start: no Range
}

TEST_F(StorageClientTest, AServerThatIgnoresTheRangeStillGivesOnlyTheNewBytes) {
  transport_.on(HttpMethod::kGet, "/storage/v1/b/logs/o/", reply(200, "old\nnew\n"));
  EXPECT_EQ(client().read_object("logs", "log-1.txt", 4).value(), "new\n");
}

// Debug logging shows each call but never the bearer token.
std::string g_logged;
void capture(log::Level /*level*/, std::string_view line) {
  g_logged += std::string(line) + "\n";
}

TEST_F(StorageClientTest, TheTokenNeverReachesTheLog) {
  transport_.once(HttpMethod::kGet, "/storage/v1/b/b",
                  reply(429, google_status_error(429, "RESOURCE_EXHAUSTED", "slow down")));
  transport_.on(HttpMethod::kGet, "/storage/v1/b/b", reply(200, bucket_json("b")));
  g_logged.clear();
  const log::Level before = log::level();
  log::set_level(log::Level::kDebug);
  const log::Sink previous = log::set_sink(capture);
  const Status ensured = client().ensure_bucket("p", "b");
  log::set_sink(previous);
  log::set_level(before);
  ASSERT_TRUE(ensured);
  EXPECT_NE(g_logged.find("GET /storage/v1/b/b"), std::string::npos) << g_logged;
  EXPECT_EQ(g_logged.find("token-1"), std::string::npos) << g_logged;
}

}  // namespace
}  // namespace deepdock::adapters::gcp
