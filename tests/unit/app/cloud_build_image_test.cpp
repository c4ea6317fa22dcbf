// cloud_build_image against a FakeCloudBuild: the source named and uploaded as `gcloud
// builds submit` does, one docker step, the log followed line by line from where the last
// read stopped, the digest of a success, a failure's detail and log tail, and Ctrl-C
// cancelling the build in Cloud Build.

#include "app/cloud_build_image.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fakes/fake_cloud_build.hpp"
#include "util/cancel.hpp"

namespace deepdock::app {
namespace {

using core::CloudBuildStatus;
using testing::FakeCloudBuild;

constexpr const char* kImage = "127.0.0.1:5000/bert-score:3f2a";
constexpr const char* kDigest =
    "sha256:7535a063b21517cae5237d6dc3e79770bab664278bd439949db0ece8b0581488";

class Recorder final : public CloudBuildObserver {
 public:
  void uploaded(const core::CloudStorageObject& source) override {
    events.push_back("uploaded " + source.name);
  }
  void build_created(const core::CloudBuildInfo& build) override {
    events.push_back("created " + build.id);
  }
  void status_changed(CloudBuildStatus status) override {
    events.push_back("status " + std::string(core::to_string(status)));
  }
  void log_line(std::string_view line) override { lines.emplace_back(line); }

  std::vector<std::string> events;
  std::vector<std::string> lines;
};

class CloudBuildImageTest : public ::testing::Test {
 protected:
  void TearDown() override { util::reset_cancel(); }

  CloudBuildImageRequest request() const {
    CloudBuildImageRequest request;
    request.project = "learning-deeply";
    request.image = kImage;
    request.context.extra_files = {{"Dockerfile", "FROM debian:bookworm\n"}};
    request.timeout = std::chrono::seconds(1200);
    return request;
  }

  CloudBuildPacing pacing() {
    CloudBuildPacing pacing;
    pacing.sleep = [this](std::chrono::milliseconds delay) {
      sleeps.push_back(delay);
      return !(stop_at_sleep && sleeps.size() >= *stop_at_sleep);
    };
    pacing.now = [] {
      return std::chrono::system_clock::time_point(std::chrono::microseconds(1700000000123456));
    };
    pacing.unique_hex = [] { return std::string("49547fb3e3ee4198a1df4d0acebb414e"); };
    return pacing;
  }

  Recorder observer;
  std::vector<std::chrono::milliseconds> sleeps;
  std::optional<size_t> stop_at_sleep;
};

TEST_F(CloudBuildImageTest, BuildsFromTheUploadedContextAndReturnsThePushedDigest) {
  FakeCloudBuild cloud({
      {CloudBuildStatus::kQueued, ""},
      {CloudBuildStatus::kWorking, "starting build \"b-1234\"\n\nFETCHSOURCE\nStep #0: Sen"},
      {CloudBuildStatus::kWorking, "ding build context\r\nStep #0: Successfully built\n"},
      {CloudBuildStatus::kSuccess, "PUSH\nDONE", "", {{kImage, kDigest}}},
  });
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->digest, kDigest);
  EXPECT_EQ(result->build_id, "b-1234");
  EXPECT_EQ(result->image, kImage);
  EXPECT_EQ(result->source,
            "gs://learning-deeply_cloudbuild/source/"
            "1700000000.123456-49547fb3e3ee4198a1df4d0acebb414e.tgz");

  // The bucket first, then the context with its Dockerfile, then one docker step.
  ASSERT_GE(cloud.calls.size(), 3U);
  EXPECT_EQ(cloud.calls[0], "ensure_bucket learning-deeply learning-deeply_cloudbuild");
  ASSERT_TRUE(cloud.uploaded);
  EXPECT_EQ(cloud.uploaded->extra_files.at("Dockerfile"), "FROM debian:bookworm\n");
  ASSERT_TRUE(cloud.created);
  const core::CloudBuildSpec& spec = *cloud.created;
  EXPECT_EQ(spec.source.name, "source/1700000000.123456-49547fb3e3ee4198a1df4d0acebb414e.tgz");
  EXPECT_EQ(spec.source.generation, "1700000000000001");
  ASSERT_EQ(spec.steps.size(), 1U);
  EXPECT_EQ(spec.steps[0].name, "gcr.io/cloud-builders/docker");
  EXPECT_EQ(spec.steps[0].args, (std::vector<std::string>{"build", "-t", kImage, "."}));
  EXPECT_EQ(spec.images, std::vector<std::string>{kImage});
  EXPECT_EQ(spec.logs_bucket, "gs://learning-deeply_cloudbuild/logs");
  EXPECT_EQ(spec.timeout, std::chrono::seconds(1200));

  // Whole lines, in order, a line split across two reads joined, the last one without its
  // newline flushed at the end.
  EXPECT_EQ(observer.lines,
            (std::vector<std::string>{"starting build \"b-1234\"", "", "FETCHSOURCE",
                                      "Step #0: Sending build context",
                                      "Step #0: Successfully built", "PUSH", "DONE"}));
  EXPECT_EQ(observer.events,
            (std::vector<std::string>{"uploaded " + spec.source.name, "created b-1234",
                                      "status QUEUED", "status WORKING", "status SUCCESS"}));
  // Each read asks only for what follows the bytes already read.
  EXPECT_NE(std::find(cloud.calls.begin(), cloud.calls.end(),
                      "read_object learning-deeply_cloudbuild/logs/log-b-1234.txt @49"),
            cloud.calls.end());
  EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>(3, std::chrono::seconds(2))));
}

TEST_F(CloudBuildImageTest, AFailureSaysWhyWithTheLogsLastLines) {
  std::string log;
  for (int i = 1; i <= 30; ++i) {
    log += "Step #0: line " + std::to_string(i) + "\n";
  }
  FakeCloudBuild cloud({
      {CloudBuildStatus::kWorking, log},
      {CloudBuildStatus::kFailure, "ERROR\n",
       "Build step failure: build step 0 \"gcr.io/cloud-builders/docker\" failed: step exited "
       "with non-zero status: 1"},
  });
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  const Error& error = result.error();
  EXPECT_EQ(error.code, ErrorCode::kFailure);
  EXPECT_NE(error.message.find("b-1234 of " + std::string(kImage) +
                               " ended FAILURE: Build step "
                               "failure"),
            std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("Step #0: line 30\nERROR"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("Step #0: line 12\n"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("Step #0: line 11\n"), std::string::npos) << error.message;
  EXPECT_NE(error.hint.find("https://console.cloud.google.com/cloud-build/builds/b-1234"),
            std::string::npos)
      << error.hint;
  EXPECT_FALSE(cloud.cancelled);
}

TEST_F(CloudBuildImageTest, ATimeoutIsATimeoutError) {
  FakeCloudBuild cloud({{CloudBuildStatus::kTimeout, "", "Build timeout"}});
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
  EXPECT_NE(result.error().message.find("ended TIMEOUT: Build timeout; no log in "
                                        "gs://learning-deeply_cloudbuild/logs/log-b-1234.txt"),
            std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().hint.find("1200 s"), std::string::npos);
}

TEST_F(CloudBuildImageTest, AnInterruptedWaitCancelsTheBuild) {
  FakeCloudBuild cloud({{CloudBuildStatus::kWorking, "Step #0: working\n"}});
  stop_at_sleep = 2;
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_NE(result.error().message.find("b-1234"), std::string::npos);
  EXPECT_TRUE(cloud.cancelled);
  EXPECT_EQ(cloud.calls.back(), "cancel_build learning-deeply b-1234");
}

// The Ctrl-C flag stops every transfer; the cancellation must get through all the same,
// and the flag is up again afterwards so the command still exits 130.
class FlagCheckingCloud final : public core::CloudBuild {
 public:
  explicit FlagCheckingCloud(FakeCloudBuild& inner) : inner_(inner) {}
  Status ensure_bucket(const std::string& p, const std::string& b) override {
    return inner_.ensure_bucket(p, b);
  }
  Result<core::CloudStorageObject> upload_context(const core::BuildRequest& c, const std::string& b,
                                                  const std::string& o) override {
    return inner_.upload_context(c, b, o);
  }
  Result<core::CloudBuildInfo> create_build(const std::string& p,
                                            const core::CloudBuildSpec& s) override {
    return inner_.create_build(p, s);
  }
  Result<core::CloudBuildInfo> get_build(const std::string& p, const std::string& id) override {
    return inner_.get_build(p, id);
  }
  Status cancel_build(const std::string& p, const std::string& id) override {
    flag_during_cancel = util::cancel_requested();
    return inner_.cancel_build(p, id);
  }
  Result<std::string> read_object(const std::string& b, const std::string& o,
                                  uint64_t offset) override {
    return inner_.read_object(b, o, offset);
  }
  std::optional<bool> flag_during_cancel;

 private:
  FakeCloudBuild& inner_;
};

TEST_F(CloudBuildImageTest, CtrlCCancelsTheBuildInCloudBuild) {
  FakeCloudBuild inner({{CloudBuildStatus::kWorking, ""}});
  inner.on_get = [](size_t index) {
    if (index == 1) {
      util::request_cancel();
    }
  };
  FlagCheckingCloud cloud(inner);
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_TRUE(inner.cancelled);
  ASSERT_TRUE(cloud.flag_during_cancel.has_value());
  EXPECT_FALSE(*cloud.flag_during_cancel);
  EXPECT_TRUE(util::cancel_requested());
}

TEST_F(CloudBuildImageTest, ASuccessWithoutTheImagesDigestIsAnError) {
  FakeCloudBuild cloud({{CloudBuildStatus::kSuccess, "DONE\n", "", {{"other:tag", kDigest}}}});
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("reports no digest for " + std::string(kImage)),
            std::string::npos);
}

TEST_F(CloudBuildImageTest, ABucketThatCannotBeUsedStopsBeforeAnyUpload) {
  FakeCloudBuild cloud;
  cloud.bucket_error = Error{ErrorCode::kPermissionDenied, "no access", "roles/storage.admin"};
  const auto result = cloud_build_image(request(), cloud, observer, pacing());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(cloud.calls.size(), 1U);
}

TEST_F(CloudBuildImageTest, ABuildStuckInTheQueueIsCancelledPastItsAllowance) {
  FakeCloudBuild cloud({{CloudBuildStatus::kQueued, ""}});
  CloudBuildImageRequest stuck = request();
  stuck.timeout = std::chrono::seconds(60);
  CloudBuildPacing paced = pacing();
  paced.poll_interval = std::chrono::minutes(1);
  paced.queue_allowance = std::chrono::minutes(2);
  const auto result = cloud_build_image(stuck, cloud, observer, paced);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(cloud.cancelled);
  EXPECT_EQ(cloud.gets, 4U);  // three minutes of polls, once a minute, and the first
}

TEST(CloudBuildLogObjectTest, TheLogLiesBelowTheBucketsPrefix) {
  const auto with_prefix = cloud_build_log_object("gs://b_cloudbuild/logs/", "id-1");
  EXPECT_EQ(with_prefix.bucket, "b_cloudbuild");
  EXPECT_EQ(with_prefix.object, "logs/log-id-1.txt");
  const auto bare = cloud_build_log_object("gs://123.cloudbuild-logs.googleusercontent.com", "x");
  EXPECT_EQ(bare.bucket, "123.cloudbuild-logs.googleusercontent.com");
  EXPECT_EQ(bare.object, "log-x.txt");
}

}  // namespace
}  // namespace deepdock::app
