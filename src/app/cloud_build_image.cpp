#include "app/cloud_build_image.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <utility>

#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/random.hpp"
#include "util/strings.hpp"

namespace deepdock::app {
namespace {

using core::CloudBuildStatus;

constexpr size_t kTailLines = 20;

// The build's log as it grows: new bytes in, whole lines out to the observer, the last
// lines kept for an error message.
class LogFollower {
 public:
  LogFollower(core::CloudBuild& cloud, CloudBuildLogObject where, CloudBuildObserver& observer)
      : cloud_(cloud), where_(std::move(where)), observer_(observer) {}

  // Reads what was added since the last read.
  Status poll() {
    TRY_ASSIGN(const std::string added, cloud_.read_object(where_.bucket, where_.object, offset_));
    offset_ += added.size();
    pending_ += added;
    size_t start = 0;
    for (size_t end = pending_.find('\n'); end != std::string::npos;
         end = pending_.find('\n', start)) {
      emit(std::string_view(pending_).substr(start, end - start));
      start = end + 1;
    }
    pending_.erase(0, start);
    return {};
  }

  // The last line, when the log does not end with a newline.
  void flush() {
    if (!pending_.empty()) {
      emit(pending_);
      pending_.clear();
    }
  }

  [[nodiscard]] std::string tail() const { return util::join({tail_.begin(), tail_.end()}, "\n"); }
  [[nodiscard]] std::string location() const {
    return fmt::format("gs://{}/{}", where_.bucket, where_.object);
  }

 private:
  void emit(std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    observer_.log_line(line);
    tail_.emplace_back(line);
    if (tail_.size() > kTailLines) {
      tail_.pop_front();
    }
  }

  core::CloudBuild& cloud_;
  CloudBuildLogObject where_;
  CloudBuildObserver& observer_;
  uint64_t offset_ = 0;
  std::string pending_;
  std::deque<std::string> tail_;
};

// "1700000000.123456": the time part of gcloud's source object names.
std::string unix_time_text(std::chrono::system_clock::time_point now) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  return fmt::format("{}.{:06}", micros / 1'000'000, micros % 1'000'000);
}

// Ctrl-C makes every transfer stop at once; the cancellation must still reach Cloud Build,
// so the request is set aside for that one call (a second Ctrl-C still interrupts it).
Status cancel_in_cloud(core::CloudBuild& cloud, const std::string& project, const std::string& id) {
  const bool interrupted = util::cancel_requested();
  if (interrupted) {
    util::reset_cancel();
  }
  Status cancelled = cloud.cancel_build(project, id);
  if (interrupted) {
    util::request_cancel();
  }
  return cancelled;
}

Error interrupted(core::CloudBuild& cloud, const CloudBuildImageRequest& request,
                  const std::string& id) {
  const Status cancelled = cancel_in_cloud(cloud, request.project, id);
  if (!cancelled) {
    return Error{ErrorCode::kCancelled,
                 fmt::format("interrupted; cancelling Cloud Build build {} failed: {}", id,
                             cancelled.error().message),
                 fmt::format("cancel it yourself: `gcloud builds cancel {} --project {}`", id,
                             request.project)};
  }
  return Error{
      ErrorCode::kCancelled,
      fmt::format("interrupted; Cloud Build build {} of {} was cancelled", id, request.image),
      "run the command again to build anew"};
}

std::string failure_hint(CloudBuildStatus status, const CloudBuildImageRequest& request) {
  switch (status) {
    case CloudBuildStatus::kTimeout:
      return fmt::format(
          "the build ran past its limit of {} s: allow it longer, or use a "
          "larger machine type",
          request.timeout.count());
    case CloudBuildStatus::kExpired:
      return "the build waited in Cloud Build's queue too long; run again later";
    case CloudBuildStatus::kInternalError:
      return "Cloud Build failed on its side; run again (https://status.cloud.google.com)";
    case CloudBuildStatus::kCancelled:
      return "someone cancelled the build; run again to build anew";
    default:
      return "fix the cause in the log above (a package name, a requirement) and run again";
  }
}

Result<CloudBuildImageResult> success(const core::CloudBuildInfo& build,
                                      const CloudBuildImageRequest& request,
                                      CloudBuildImageResult result) {
  const auto pushed =
      std::find_if(build.images.begin(), build.images.end(),
                   [&](const core::CloudBuiltImage& image) { return image.name == request.image; });
  if (pushed == build.images.end() || pushed->digest.empty()) {
    return fail(ErrorCode::kFailure,
                fmt::format("Cloud Build build {} succeeded but reports no digest for {}", build.id,
                            request.image),
                fmt::format("check the build's results: `gcloud builds describe {} --project {}`",
                            build.id, request.project));
  }
  result.digest = pushed->digest;
  return result;
}

}  // namespace

CloudBuildLogObject cloud_build_log_object(std::string_view logs_bucket, std::string_view id) {
  std::string_view path = logs_bucket;
  if (path.rfind("gs://", 0) == 0) {
    path.remove_prefix(5);
  }
  const size_t slash = path.find('/');
  CloudBuildLogObject where{std::string(path.substr(0, slash)), ""};
  std::string prefix(slash == std::string_view::npos ? "" : path.substr(slash + 1));
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  where.object = fmt::format("{}{}log-{}.txt", prefix, prefix.empty() ? "" : "/", id);
  return where;
}

Result<CloudBuildImageResult> cloud_build_image(const CloudBuildImageRequest& request,
                                                core::CloudBuild& cloud,
                                                CloudBuildObserver& observer,
                                                const CloudBuildPacing& pacing) {
  const auto sleep = pacing.sleep ? pacing.sleep : [](std::chrono::milliseconds duration) {
    return util::sleep_unless_cancelled(duration);
  };
  const auto now = pacing.now ? pacing.now() : std::chrono::system_clock::now();
  const std::string unique = pacing.unique_hex ? pacing.unique_hex() : util::random_hex(16);
  const std::string bucket =
      request.bucket.empty() ? request.project + "_cloudbuild" : request.bucket;
  const std::string object = fmt::format("source/{}-{}.tgz", unix_time_text(now), unique);

  TRY(cloud.ensure_bucket(request.project, bucket));
  TRY_ASSIGN(const core::CloudStorageObject source,
             cloud.upload_context(request.context, bucket, object));
  observer.uploaded(source);

  core::CloudBuildSpec spec;
  spec.source = source;
  spec.steps.push_back({std::string(kDockerBuilder), {"build", "-t", request.image, "."}});
  spec.images = {request.image};
  spec.logs_bucket = fmt::format("gs://{}/logs", bucket);
  spec.timeout = request.timeout;
  spec.machine_type = request.machine_type;
  TRY_ASSIGN(core::CloudBuildInfo build, cloud.create_build(request.project, spec));
  observer.build_created(build);
  log::debug("cloud build: build {} of {} from gs://{}/{}", build.id, request.image, bucket,
             object);

  CloudBuildImageResult result{build.id, request.image, "", build.log_url,
                               fmt::format("gs://{}/{}", source.bucket, source.name)};
  LogFollower log(cloud,
                  cloud_build_log_object(
                      build.logs_bucket.empty() ? spec.logs_bucket : build.logs_bucket, build.id),
                  observer);
  const auto interval = std::max(pacing.poll_interval, std::chrono::milliseconds(1));
  const int64_t max_polls = std::chrono::duration_cast<std::chrono::milliseconds>(
                                request.timeout + pacing.queue_allowance)
                                .count() /
                            interval.count();
  CloudBuildStatus shown = build.status;
  observer.status_changed(shown);
  for (int64_t polls = 0;; ++polls) {
    if (util::cancel_requested()) {
      return fail(interrupted(cloud, request, build.id));
    }
    auto latest = cloud.get_build(request.project, build.id);
    if (!latest && latest.error().code == ErrorCode::kCancelled) {
      return fail(interrupted(cloud, request, build.id));
    }
    TRY(latest);
    build = std::move(*latest);
    if (build.status != shown) {
      shown = build.status;
      observer.status_changed(shown);
    }
    // A log that cannot be read (yet) does not stop the build being followed.
    if (auto read = log.poll(); !read) {
      if (read.error().code == ErrorCode::kCancelled) {
        return fail(interrupted(cloud, request, build.id));
      }
      log::debug("cloud build: reading {}: {}", log.location(), read.error().message);
    }
    if (core::is_terminal(build.status)) {
      log.flush();
      break;
    }
    if (polls >= max_polls) {
      (void)cancel_in_cloud(cloud, request.project, build.id);
      return fail(ErrorCode::kTimeout,
                  fmt::format("Cloud Build build {} of {} did not finish within {} min (still "
                              "{}); it was cancelled",
                              build.id, request.image,
                              std::chrono::duration_cast<std::chrono::minutes>(
                                  request.timeout + pacing.queue_allowance)
                                  .count(),
                              core::to_string(build.status)),
                  "Cloud Build may be short of capacity; run again later");
    }
    if (!sleep(interval)) {
      return fail(interrupted(cloud, request, build.id));
    }
  }

  if (build.status == CloudBuildStatus::kSuccess) {
    return success(build, request, std::move(result));
  }
  const std::string tail = log.tail();
  return fail(
      build.status == CloudBuildStatus::kTimeout ? ErrorCode::kTimeout : ErrorCode::kFailure,
      fmt::format("Cloud Build build {} of {} ended {}{}; {}", build.id, request.image,
                  core::to_string(build.status),
                  build.status_detail.empty() ? "" : ": " + build.status_detail,
                  tail.empty() ? fmt::format("no log in {}", log.location())
                               : fmt::format("the log's last lines:\n{}", tail)),
      failure_hint(build.status, request) +
          (build.log_url.empty() ? "" : fmt::format(" (the whole log: {})", build.log_url)));
}

}  // namespace deepdock::app
