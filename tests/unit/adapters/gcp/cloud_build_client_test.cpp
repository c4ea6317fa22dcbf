// CloudBuildClient over FakeTransports: builds.create/get/cancel as api-reference C.2 has
// them, which refusals are tried again (a create only when Google refused it with 429),
// the errors' fixes, the endpoints found as gcloud finds them, and the context packed as a
// gzip tar holding the Dockerfile.

#include "adapters/gcp/cloud_build_client.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/gcp/service_endpoint.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "unit/adapters/gcp/service_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::CloudBuildStatus;
using core::HttpMethod;
using nlohmann::json;
using test::fails_with;
using test::google_status_error;
using testing::FakeTransport;
using testing::reply;

constexpr const char* kBuilds = "/v1/projects/p/builds";

json build_json(const std::string& status) {
  return {{"id", "b-1"},
          {"projectId", "p"},
          {"status", status},
          {"logsBucket", "gs://p_cloudbuild/logs"},
          {"logUrl", "https://console.cloud.google.com/cloud-build/builds/b-1?project=1"}};
}

core::CloudBuildSpec spec() {
  core::CloudBuildSpec spec;
  spec.source = {"p_cloudbuild", "source/1.5-ab.tgz", "1700000000000001"};
  spec.steps = {{"gcr.io/cloud-builders/docker", {"build", "-t", "r/env:h", "."}}};
  spec.images = {"r/env:h"};
  spec.logs_bucket = "gs://p_cloudbuild/logs";
  spec.timeout = std::chrono::seconds(1800);
  return spec;
}

class CloudBuildClientTest : public ::testing::Test {
 protected:
  CloudBuildClient client(int attempts = 4) {
    return CloudBuildClient(
        test::caller_for(builds_, tokens_, cloud_build_service_info(), sleeps_, attempts),
        std::make_unique<StorageClient>(
            test::caller_for(storage_, tokens_, storage_service_info(), sleeps_, attempts)));
  }

  FakeTransport builds_;
  FakeTransport storage_;
  test::CountingTokens tokens_;
  test::RecordedSleeps sleeps_;
};

TEST_F(CloudBuildClientTest, CreateSendsTheBuildAndReadsTheQueuedBuildFromTheOperation) {
  builds_.on(HttpMethod::kPost, kBuilds,
             reply(200, json{{"name", "operations/build/p/YjE="},
                             {"metadata",
                              {{"@type",
                                "type.googleapis.com/"
                                "google.devtools.cloudbuild.v1.BuildOperationMetadata"},
                               {"build", build_json("QUEUED")}}}}
                            .dump()));
  const auto build = client().create_build("p", spec());
  ASSERT_TRUE(build) << build.error().message;
  EXPECT_EQ(build->id, "b-1");
  EXPECT_EQ(build->status, CloudBuildStatus::kQueued);
  EXPECT_EQ(build->logs_bucket, "gs://p_cloudbuild/logs");
  const testing::RecordedRequest& create = builds_.requests().at(0);
  EXPECT_EQ(create.method, HttpMethod::kPost);
  EXPECT_EQ(create.target, kBuilds);
  EXPECT_EQ(create.header("Authorization"), "Bearer token-1");
  EXPECT_EQ(json::parse(create.body), json::parse(R"({
              "source": {"storageSource": {"bucket": "p_cloudbuild",
                                           "object": "source/1.5-ab.tgz",
                                           "generation": "1700000000000001"}},
              "steps": [{"name": "gcr.io/cloud-builders/docker",
                         "args": ["build", "-t", "r/env:h", "."]}],
              "images": ["r/env:h"],
              "timeout": "1800s",
              "options": {"logging": "GCS_ONLY"},
              "logsBucket": "gs://p_cloudbuild/logs"})"));
}

TEST_F(CloudBuildClientTest, ACreateIsTriedAgainOnlyWhenRefusedWith429) {
  builds_.once(HttpMethod::kPost, kBuilds,
               reply(429, google_status_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded")));
  builds_.on(HttpMethod::kPost, kBuilds,
             reply(503, google_status_error(503, "UNAVAILABLE", "The service is unavailable.")));
  // A 503 may have come after the build was made: a second create could make a second build.
  EXPECT_TRUE(fails_with(client().create_build("p", spec()), ErrorCode::kUnavailable,
                         "The service is unavailable"));
  EXPECT_EQ(builds_.requests().size(), 2U);
  EXPECT_EQ(sleeps_.delays.size(), 1U);
}

TEST_F(CloudBuildClientTest, GetReadsTheResultAndTheFailure) {
  json done = build_json("SUCCESS");
  done["results"] = {{"images", {{{"name", "r/env:h"}, {"digest", "sha256:abc"}}}}};
  builds_.once(HttpMethod::kGet, "/v1/projects/p/builds/b-1", reply(200, done.dump()));
  json failed = build_json("FAILURE");
  failed["failureInfo"] = {{"type", "USER_BUILD_STEP"}, {"detail", "step 0 exited with 1"}};
  builds_.once(HttpMethod::kGet, "/v1/projects/p/builds/b-1",
               reply(503, google_status_error(503, "UNAVAILABLE", "try later")));
  builds_.once(HttpMethod::kGet, "/v1/projects/p/builds/b-1", reply(200, failed.dump()));

  const auto success = client().get_build("p", "b-1");
  ASSERT_TRUE(success) << success.error().message;
  EXPECT_EQ(success->status, CloudBuildStatus::kSuccess);
  ASSERT_EQ(success->images.size(), 1U);
  EXPECT_EQ(success->images[0].name, "r/env:h");
  EXPECT_EQ(success->images[0].digest, "sha256:abc");

  const auto failure = client().get_build("p", "b-1");  // after one 503, tried again
  ASSERT_TRUE(failure) << failure.error().message;
  EXPECT_EQ(failure->status, CloudBuildStatus::kFailure);
  EXPECT_EQ(failure->status_detail, "step 0 exited with 1");
}

TEST_F(CloudBuildClientTest, CancelPostsToTheBuildsCancelMethod) {
  builds_.on(HttpMethod::kPost, "/v1/projects/p/builds/b-1:cancel",
             reply(200, build_json("CANCELLED").dump()));
  ASSERT_TRUE(client().cancel_build("p", "b-1"));
  EXPECT_EQ(builds_.requests().at(0).body, "{}");
}

TEST_F(CloudBuildClientTest, TheCloudBuildAPINotEnabledSaysHowToEnableIt) {
  builds_.on(HttpMethod::kPost, kBuilds,
             reply(403, google_status_error(403, "PERMISSION_DENIED",
                                            "Cloud Build API has not been used in project 1 "
                                            "before or it is disabled.",
                                            "SERVICE_DISABLED")));
  EXPECT_TRUE(fails_with(client().create_build("p", spec()), ErrorCode::kPrecondition,
                         "starting a build in project p",
                         "gcloud services enable cloudbuild.googleapis.com --project p"));
}

TEST_F(CloudBuildClientTest, APermissionRefusalAsksForTheBuildsEditorRole) {
  builds_.on(HttpMethod::kGet, "/v1/projects/p/builds/b-1",
             reply(403, google_status_error(403, "PERMISSION_DENIED",
                                            "The caller does not have permission")));
  EXPECT_TRUE(fails_with(client().get_build("p", "b-1"), ErrorCode::kPermissionDenied,
                         "The caller does not have permission", "roles/cloudbuild.builds.editor"));
}

TEST_F(CloudBuildClientTest, ASourceTheBuilderCannotReadNamesTheBucket) {
  builds_.on(HttpMethod::kPost, kBuilds,
             reply(400, google_status_error(
                            400, "INVALID_ARGUMENT",
                            "could not resolve source: googleapi: Error 403: sa does not have "
                            "storage.objects.get access to the Google Cloud Storage object.")));
  EXPECT_TRUE(fails_with(client().create_build("p", spec()), ErrorCode::kInvalidInput,
                         "could not resolve source", "cannot read gs://p_cloudbuild"));
}

// The uploaded source: a gzip tar whose entries are the context's files.
std::set<std::string> tgz_entries(const std::string& bytes) {
  std::set<std::string> names;
  const std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                      archive_read_free);
  archive_read_support_filter_gzip(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_memory(reader.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return names;
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
    names.insert(archive_entry_pathname(entry));
  }
  return names;
}

TEST_F(CloudBuildClientTest, TheContextIsUploadedAsAGzipTar) {
  storage_.on(HttpMethod::kPost, "/upload/storage/v1/b/p_cloudbuild/o",
              reply(200, json{{"name", "source/1.5-ab.tgz"}, {"generation", "9"}}.dump()));
  core::BuildRequest context;
  context.extra_files = {{"Dockerfile", "FROM scratch\n"}, {"requirements.txt", "numpy\n"}};
  const auto stored = client().upload_context(context, "p_cloudbuild", "source/1.5-ab.tgz");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->generation, "9");
  const std::string& body = storage_.requests().at(0).body;
  ASSERT_GT(body.size(), 2U);
  EXPECT_EQ(body.substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(tgz_entries(body), (std::set<std::string>{"Dockerfile", "requirements.txt"}));
  EXPECT_EQ(storage_.requests().at(0).header("Content-Type"), "application/gzip");
}

TEST(ServiceEndpointTest, OverridesWithAndWithoutTheVersionPathGiveTheSameRoot) {
  const auto storage =
      split_service_url(kStorageUrl, "http://127.0.0.1:8089/storage/v1/", "a variable");
  ASSERT_TRUE(storage) << storage.error().message;
  EXPECT_EQ(storage->base, "http://127.0.0.1:8089");
  EXPECT_EQ(storage->root, "");
  EXPECT_EQ(split_service_url(kStorageUrl, "http://127.0.0.1:8089", "x")->root, "");
  EXPECT_EQ(split_service_url(kCloudBuildUrl, "https://cloudbuild.googleapis.com/", "x")->root, "");
  EXPECT_EQ(split_service_url(kCloudBuildUrl, "http://localhost:9/proxy/v1/", "x")->root, "/proxy");
}

TEST(ServiceEndpointTest, PlainHttpToAnotherMachineIsRefused) {
  EXPECT_TRUE(fails_with(split_service_url(kCloudBuildUrl, "http://10.0.0.8/", "a variable"),
                         ErrorCode::kInvalidInput, "the cloudbuild endpoint", "use https"));
}

TEST(ServiceEndpointTest, TheVariableWinsOverTheConfigurationWhichWinsOverTheDefault) {
  test::ScratchDir scratch;
  scratch.write("gcloud/active_config", "emu\n");
  scratch.write("gcloud/configurations/config_emu",
                "[api_endpoint_overrides]\ncloudbuild = http://127.0.0.1:7001/\n");
  AuthContext context;
  context.env = test::env_of(
      {{"CLOUDSDK_CONFIG", (scratch.path() / "gcloud").string()},
       {"CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", "http://127.0.0.1:7002/storage/v1/"}});
  const auto builds = service_endpoint(context, kCloudBuildUrl);
  ASSERT_TRUE(builds) << builds.error().message;
  EXPECT_EQ(builds->base, "http://127.0.0.1:7001");
  EXPECT_NE(builds->origin.find("config_emu"), std::string::npos) << builds->origin;
  const auto storage = service_endpoint(context, kStorageUrl);
  ASSERT_TRUE(storage) << storage.error().message;
  EXPECT_EQ(storage->base, "http://127.0.0.1:7002");
  EXPECT_EQ(storage->origin, "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE");

  context.env = test::env_of({{"CLOUDSDK_CONFIG", (scratch.path() / "none").string()}});
  EXPECT_EQ(service_endpoint(context, kStorageUrl)->base, "https://storage.googleapis.com");
}

TEST(ConnectCloudBuildTest, BothAPIsAreReachedAtTheirOverrides) {
  test::FakeTransports transports;
  transports.at("http://127.0.0.1:7001")
      .on(HttpMethod::kGet, "/v1/projects/p/builds/b-1", reply(200, build_json("WORKING").dump()));
  transports.at("http://127.0.0.1:7002")
      .on(HttpMethod::kGet, "/storage/v1/b/logs/o/log-b-1.txt?alt=media", reply(200, "hello\n"));
  AuthContext context;
  context.env = test::env_of(
      {{"CLOUDSDK_CONFIG", "/nonexistent"},
       {"CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDBUILD", "http://127.0.0.1:7001/"},
       {"CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", "http://127.0.0.1:7002/storage/v1/"}});
  context.connect = transports.factory();
  test::CountingTokens tokens;
  const auto client = connect_cloud_build(context, tokens);
  ASSERT_TRUE(client) << client.error().message;
  const auto build = (*client)->get_build("p", "b-1");
  ASSERT_TRUE(build) << build.error().message;
  EXPECT_EQ(build->status, CloudBuildStatus::kWorking);
  EXPECT_EQ((*client)->read_object("logs", "log-b-1.txt", 0).value(), "hello\n");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
