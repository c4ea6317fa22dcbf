// An image built by "Cloud Build" for real: the emulator's Cloud Storage and Cloud Build
// routes reached through the real transport at gcloud-style endpoint overrides, the build
// run by build-with-engine.sh on the test engine and pushed to the test registry, the log
// followed as it grows. Needs DOCKER_HOST, DEEPDOCK_TEST_REGISTRY and
// DEEPDOCK_TEST_BASE_IMAGE (scripts/test-components.sh).

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/gcp/cloud_build_client.hpp"
#include "app/cloud_build_image.hpp"
#include "emulators/gcp/emulator_process.hpp"
#include "integration/docker/engine_test_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/random.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::CloudBuildStatus;

class StaticToken final : public core::AccessTokenSource {
 public:
  Result<core::AccessToken> token() override {
    return core::AccessToken{"test-token", std::chrono::system_clock::now() + std::chrono::hours(1),
                             "the scenario's token"};
  }
  [[nodiscard]] std::string describe() const override { return "the emulator's test token"; }
};

class Lines final : public app::CloudBuildObserver {
 public:
  void status_changed(CloudBuildStatus status) override {
    statuses.emplace_back(core::to_string(status));
  }
  void log_line(std::string_view line) override { lines.emplace_back(line); }
  [[nodiscard]] bool has(std::string_view text) const {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos;
    });
  }
  std::vector<std::string> statuses;
  std::vector<std::string> lines;
};

class CloudBuildTest : public ::testing::Test {
 protected:
  // Starts the emulator with the engine build command and connects a client to it.
  void start(const std::string& scenario = "basic.yaml") {
    emulator_ = std::make_unique<testing::EmulatorProcess>(
        std::string(DEEPDOCK_GCP_SCENARIOS) + "/" + scenario,
        std::vector<std::string>{"--build-command", "bash " + std::string(DEEPDOCK_GCP_SCENARIOS) +
                                                        "/../build-with-engine.sh"});
    ASSERT_TRUE(emulator_->started()) << "deepdock-gcp-emulator did not start";
    context_.env = test::env_of(
        {{"CLOUDSDK_CONFIG", "/nonexistent"},
         {"CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDBUILD", emulator_->url() + "/"},
         {"CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", emulator_->url() + "/storage/v1/"}});
    context_.connect = test::curl_factory();
    auto client = connect_cloud_build(context_, tokens_);
    ASSERT_TRUE(client) << client.error().message;
    client_ = std::move(*client);
  }

  app::CloudBuildImageRequest request(const std::string& base, const std::string& registry,
                                      const std::string& run, const std::string& dockerfile) {
    app::CloudBuildImageRequest request;
    request.project = "deepdock-test";
    request.image = registry + "/deepdock-it/cloudbuild-" + run + ":" + util::random_hex(6);
    request.context.extra_files = {{"Dockerfile", "FROM " + base + "\n" + dockerfile}};
    request.timeout = std::chrono::seconds(300);
    return request;
  }

  static app::CloudBuildPacing quick() {
    app::CloudBuildPacing pacing;
    pacing.poll_interval = std::chrono::milliseconds(200);
    return pacing;
  }

  AuthContext context_;
  StaticToken tokens_;
  std::unique_ptr<testing::EmulatorProcess> emulator_;
  std::unique_ptr<CloudBuildClient> client_;
};

TEST_F(CloudBuildTest, TheImageIsBuiltAndLandsInTheRegistryWithTheReportedDigest) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  DEEPDOCK_REQUIRE_COMPONENT(base, "DEEPDOCK_TEST_BASE_IMAGE");
  start();
  auto engine = docker::integration::engine_for(docker_host);
  ASSERT_TRUE(engine) << engine.error().message;
  docker::integration::Cleanup cleanup(**engine);
  const app::CloudBuildImageRequest built =
      request(base, registry, docker::integration::run_id(),
              "RUN echo built-by-cloud-build > /cloud-build-marker\n");
  cleanup.image(built.image);

  Lines observer;
  const auto result = app::cloud_build_image(built, *client_, observer, quick());
  ASSERT_TRUE(result) << result.error().message << "\n" << result.error().hint;
  EXPECT_EQ(result->digest.rfind("sha256:", 0), 0U) << result->digest;
  EXPECT_EQ(result->source.rfind("gs://deepdock-test_cloudbuild/source/", 0), 0U);
  EXPECT_TRUE(observer.has("Step #0: Successfully tagged " + built.image));
  EXPECT_TRUE(observer.has("digest: " + result->digest));
  EXPECT_EQ(observer.lines.back(), "DONE");
  EXPECT_EQ(observer.statuses.back(), "SUCCESS");

  // The registry holds the tag under the very digest the build reported.
  const std::string repository_and_tag = built.image.substr(registry.size() + 1);
  const size_t colon = repository_and_tag.rfind(':');
  httplib::Client http("http://" + registry);
  const auto manifest = http.Get("/v2/" + repository_and_tag.substr(0, colon) + "/manifests/" +
                                     repository_and_tag.substr(colon + 1),
                                 {{"Accept",
                                   "application/vnd.docker.distribution.manifest.v2+json, "
                                   "application/vnd.oci.image.manifest.v1+json"}});
  ASSERT_TRUE(manifest) << "the test registry did not answer";
  EXPECT_EQ(manifest->status, 200) << manifest->body;
  EXPECT_EQ(manifest->get_header_value("Docker-Content-Digest"), result->digest);

  // The client's calls arrived as api-reference C has them.
  std::vector<std::string> calls;
  for (const auto& entry : emulator_->requests()) {
    calls.push_back(entry["method"].get<std::string>() + " " + entry["path"].get<std::string>());
  }
  EXPECT_NE(std::find(calls.begin(), calls.end(), "POST /storage/v1/b"), calls.end());
  EXPECT_NE(
      std::find(calls.begin(), calls.end(), "POST /upload/storage/v1/b/deepdock-test_cloudbuild/o"),
      calls.end());
  EXPECT_NE(std::find(calls.begin(), calls.end(), "POST /v1/projects/deepdock-test/builds"),
            calls.end());
}

TEST_F(CloudBuildTest, AFailingDockerfileFailsTheBuildWithTheLogsTail) {
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  DEEPDOCK_REQUIRE_COMPONENT(base, "DEEPDOCK_TEST_BASE_IMAGE");
  start();
  Lines observer;
  const auto result =
      app::cloud_build_image(request(base, registry, docker::integration::run_id(),
                                     "RUN echo about-to-fail-on-purpose && exit 3\n"),
                             *client_, observer, quick());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailure);
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("ended FAILURE: build step 0 \"gcr.io/cloud-builders/docker\" failed"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("about-to-fail-on-purpose"), std::string::npos) << message;
  EXPECT_EQ(observer.statuses.back(), "FAILURE");
}

TEST_F(CloudBuildTest, AnInterruptedFollowCancelsTheRunningBuild) {
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  DEEPDOCK_REQUIRE_COMPONENT(base, "DEEPDOCK_TEST_BASE_IMAGE");
  start();
  Lines observer;
  app::CloudBuildPacing pacing = quick();
  // Interrupted once the build is running.
  pacing.sleep = [&observer](std::chrono::milliseconds delay) {
    std::this_thread::sleep_for(delay);
    return !observer.has("sleeping-for-a-while");
  };
  const auto result = app::cloud_build_image(request(base, registry, docker::integration::run_id(),
                                                     "RUN echo sleeping-for-a-while && sleep 60\n"),
                                             *client_, observer, pacing);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled) << result.error().message;

  // The id is the last part of the build's name in the cancel request.
  std::string id;
  for (const auto& entry : emulator_->requests()) {
    const std::string path = entry["path"];
    if (entry["method"] == "POST" && path.size() > 7 && path.substr(path.size() - 7) == ":cancel") {
      id = path.substr(path.rfind('/') + 1, path.size() - path.rfind('/') - 8);
    }
  }
  ASSERT_FALSE(id.empty()) << "no builds.cancel request reached the emulator";
  const auto build = client_->get_build("deepdock-test", id);
  ASSERT_TRUE(build) << build.error().message;
  EXPECT_EQ(build->status, CloudBuildStatus::kCancelled);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
