#pragma once
// An environment image built by Google Cloud Build (`build: cloudbuild`) and pushed to the
// spec's registry, the way `gcloud builds submit --tag IMAGE` does it (api-reference C):
//   1. the bucket gs://<project>_cloudbuild is made sure of (created when missing);
//   2. the build context (the generated Dockerfile and files) goes there as
//      source/<unix time>-<32 hex>.tgz;
//   3. builds.create: one step `gcr.io/cloud-builders/docker build -t IMAGE .`, images
//      [IMAGE] (Cloud Build pushes it once the step succeeded), its log written to
//      gs://<bucket>/logs/log-<id>.txt (logging GCS_ONLY) so it can be followed;
//   4. the build is polled every two seconds and the new bytes of its log are read from
//      where the last read stopped, line by line to the observer, until a terminal status.
// SUCCESS gives the pushed digest. FAILURE, TIMEOUT, CANCELLED, INTERNAL_ERROR and EXPIRED
// give an error with Cloud Build's detail and the log's last lines. Ctrl-C cancels the
// build in Cloud Build before returning kCancelled: nothing keeps running (and billing)
// unseen.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/model/image.hpp"
#include "core/ports/cloud_build.hpp"
#include "util/error.hpp"

namespace deepdock::app {

inline constexpr std::string_view kDockerBuilder = "gcr.io/cloud-builders/docker";

struct CloudBuildImageRequest {
  std::string project;
  // "<registry>/<environment name>:<content hash>": what the build tags and pushes.
  std::string image;
  // The context: extra_files (the Dockerfile, requirements.txt) and/or context_dir.
  core::BuildRequest context;
  std::chrono::seconds timeout{std::chrono::minutes(30)};  // Cloud Build's own limit
  std::string machine_type;                                // "" = Cloud Build's default
  std::string bucket;  // "" = "<project>_cloudbuild", as `gcloud builds submit` uses
};

struct CloudBuildImageResult {
  std::string build_id;
  std::string image;   // as requested
  std::string digest;  // "sha256:...": what the registry holds under `image`
  std::string log_url;
  std::string source;  // "gs://bucket/source/....tgz"
};

// What happens as it happens (the CLI draws it on stderr).
class CloudBuildObserver {
 public:
  virtual ~CloudBuildObserver() = default;
  virtual void uploaded(const core::CloudStorageObject& /*source*/) {}
  virtual void build_created(const core::CloudBuildInfo& /*build*/) {}
  virtual void status_changed(core::CloudBuildStatus /*status*/) {}
  virtual void log_line(std::string_view /*line*/) {}  // one line of the build's log
};

// Time and names, injected so tests run without waiting.
struct CloudBuildPacing {
  // Waits between polls; false when the wait was cancelled (Ctrl-C). Null:
  // util::sleep_unless_cancelled.
  std::function<bool(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::system_clock::time_point()> now;  // null: the system clock
  std::function<std::string()> unique_hex;                     // null: 16 random bytes as hex
  std::chrono::milliseconds poll_interval{2000};
  // Past the build's timeout, how long a build may stay queued before deepdock gives up
  // on it (and cancels it).
  std::chrono::minutes queue_allowance{60};
};

Result<CloudBuildImageResult> cloud_build_image(const CloudBuildImageRequest& request,
                                                core::CloudBuild& cloud,
                                                CloudBuildObserver& observer,
                                                const CloudBuildPacing& pacing = {});

// "gs://bucket/prefix" → {"bucket", "prefix/log-<id>.txt"}: where Cloud Build writes the log.
struct CloudBuildLogObject {
  std::string bucket;
  std::string object;
};
CloudBuildLogObject cloud_build_log_object(std::string_view logs_bucket, std::string_view id);

}  // namespace deepdock::app
