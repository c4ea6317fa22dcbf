#pragma once
// FakeCloudBuild: a CloudBuild that records every call and plays a build from a script.
// Each get_build takes the next step of the script (the last one repeats): the build's
// status then, and the text its log gains at that moment, which read_object serves from
// the offset asked. Errors can be set for any call.

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ports/cloud_build.hpp"

namespace deepdock::testing {

struct FakeBuildStep {
  core::CloudBuildStatus status = core::CloudBuildStatus::kWorking;
  std::string log_added;  // appended to the log object as this step is reached
  std::string status_detail;
  std::vector<core::CloudBuiltImage> images;  // results.images once SUCCESS
};

class FakeCloudBuild final : public core::CloudBuild {
 public:
  explicit FakeCloudBuild(std::vector<FakeBuildStep> script = {}) : script_(std::move(script)) {}

  Status ensure_bucket(const std::string& project, const std::string& bucket) override {
    calls.push_back("ensure_bucket " + project + " " + bucket);
    if (bucket_error) {
      return tl::unexpected(*bucket_error);
    }
    buckets.insert({bucket, project});
    return {};
  }

  Result<core::CloudStorageObject> upload_context(const core::BuildRequest& context,
                                                  const std::string& bucket,
                                                  const std::string& object) override {
    calls.push_back("upload_context " + bucket + "/" + object);
    if (buckets.count(bucket) == 0) {
      return fail(ErrorCode::kNotFound, "no bucket " + bucket);
    }
    uploaded = context;
    return core::CloudStorageObject{bucket, object, "1700000000000001"};
  }

  Result<core::CloudBuildInfo> create_build(const std::string& project,
                                            const core::CloudBuildSpec& spec) override {
    calls.push_back("create_build " + project);
    if (create_error) {
      return tl::unexpected(*create_error);
    }
    created = spec;
    build_.id = "b-1234";
    build_.status = core::CloudBuildStatus::kQueued;
    build_.logs_bucket = spec.logs_bucket;
    build_.log_url = "https://console.cloud.google.com/cloud-build/builds/b-1234?project=1";
    return build_;
  }

  Result<core::CloudBuildInfo> get_build(const std::string& project,
                                         const std::string& id) override {
    calls.push_back("get_build " + project + " " + id);
    if (on_get) {
      on_get(gets);
    }
    ++gets;
    if (get_error) {
      return tl::unexpected(*get_error);
    }
    if (!cancelled && !script_.empty()) {
      const FakeBuildStep& step = script_[std::min(next_, script_.size() - 1)];
      if (next_ < script_.size()) {
        log += step.log_added;
        ++next_;
      }
      build_.status = step.status;
      build_.status_detail = step.status_detail;
      build_.images = step.images;
    }
    return build_;
  }

  Status cancel_build(const std::string& project, const std::string& id) override {
    calls.push_back("cancel_build " + project + " " + id);
    cancelled = true;
    build_.status = core::CloudBuildStatus::kCancelled;
    return {};
  }

  Result<std::string> read_object(const std::string& bucket, const std::string& object,
                                  uint64_t offset) override {
    calls.push_back("read_object " + bucket + "/" + object + " @" + std::to_string(offset));
    return offset >= log.size() ? std::string() : log.substr(offset);
  }

  // Recorded.
  std::vector<std::string> calls;
  std::map<std::string, std::string> buckets;  // bucket → project
  std::optional<core::BuildRequest> uploaded;
  std::optional<core::CloudBuildSpec> created;
  bool cancelled = false;
  size_t gets = 0;
  std::string log;  // the log object's content so far

  // Set by tests.
  std::optional<Error> bucket_error;
  std::optional<Error> create_error;
  std::optional<Error> get_error;
  std::function<void(size_t get_index)> on_get;  // before each get_build answers

 private:
  std::vector<FakeBuildStep> script_;
  size_t next_ = 0;
  core::CloudBuildInfo build_;
};

}  // namespace deepdock::testing
