#pragma once
// CloudBuild: an image built by Google Cloud Build (api-reference C.1, C.2). The build
// context goes to a Cloud Storage bucket as a gzip tar, a build made of docker steps runs
// from it and pushes its images, and the caller follows the build's status and its log
// object until the build ends, or cancels it. The real one is adapters/gcp
// (CloudBuildClient, with StorageClient for the bucket, the upload and the log); tests use
// tests/fakes/fake_cloud_build.hpp.
//
// Errors of the service (a permission, an API that is not enabled, a bucket name another
// project owns) are errors with Google's message and what to do; 429 and 5xx answers are
// retried inside the adapter first.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/image.hpp"
#include "util/error.hpp"

namespace deepdock::core {

// Build.status. Terminal: SUCCESS and every state after it in the list.
enum class CloudBuildStatus {
  kUnknown,  // STATUS_UNKNOWN, or a value this version does not know
  kPending,
  kQueued,
  kWorking,
  kSuccess,
  kFailure,
  kInternalError,
  kTimeout,
  kCancelled,
  kExpired,
};

CloudBuildStatus parse_cloud_build_status(std::string_view text);
std::string_view to_string(CloudBuildStatus status);  // the API's name: "WORKING"
bool is_terminal(CloudBuildStatus status);

// An object in Cloud Storage; `generation` pins the version uploaded ("" when unknown).
struct CloudStorageObject {
  std::string bucket;
  std::string name;
  std::string generation;
};

// One build step: a builder image run with arguments in the context's directory.
struct CloudBuildStep {
  std::string name;  // "gcr.io/cloud-builders/docker"
  std::vector<std::string> args;
};

// What builds.create gets.
struct CloudBuildSpec {
  CloudStorageObject source;  // a gzip tar of the build context
  std::vector<CloudBuildStep> steps;
  std::vector<std::string> images;  // pushed once every step succeeded
  // "gs://bucket[/prefix]": the log is written to <prefix>/log-<id>.txt there as the build
  // runs (logging GCS_ONLY), which is what lets the caller follow it.
  std::string logs_bucket;
  std::chrono::seconds timeout{std::chrono::minutes(20)};
  std::string machine_type;  // "" = Cloud Build's default; "E2_HIGHCPU_8", ...
};

struct CloudBuiltImage {
  std::string name;    // as given in images[]
  std::string digest;  // "sha256:..."
};

// A build as builds.get reports it.
struct CloudBuildInfo {
  std::string id;
  CloudBuildStatus status = CloudBuildStatus::kUnknown;
  std::string status_detail;            // why it failed, when it did
  std::vector<CloudBuiltImage> images;  // results.images, once pushed
  std::string logs_bucket;              // "gs://bucket[/prefix]"
  std::string log_url;                  // the Cloud Console page of the build
};

class CloudBuild {
 public:
  virtual ~CloudBuild() = default;

  // Makes sure gs://`bucket` exists and can be used: created in `project` when missing.
  virtual Status ensure_bucket(const std::string& project, const std::string& bucket) = 0;
  // Packs `context` (context_dir, honouring its .dockerignore, plus extra_files; the other
  // fields are not used) as a gzip tar and stores it as `bucket`/`object`.
  virtual Result<CloudStorageObject> upload_context(const BuildRequest& context,
                                                    const std::string& bucket,
                                                    const std::string& object) = 0;

  // builds.create: the build as it was queued (its id, QUEUED or WORKING).
  virtual Result<CloudBuildInfo> create_build(const std::string& project,
                                              const CloudBuildSpec& spec) = 0;
  virtual Result<CloudBuildInfo> get_build(const std::string& project, const std::string& id) = 0;
  // Asks the build to stop; it ends CANCELLED (or in the state it reached first).
  virtual Status cancel_build(const std::string& project, const std::string& id) = 0;

  // The bytes of `bucket`/`object` from byte `offset` on: "" when there are none yet, the
  // object included (a build's log appears only once the build starts).
  virtual Result<std::string> read_object(const std::string& bucket, const std::string& object,
                                          uint64_t offset) = 0;
};

}  // namespace deepdock::core
