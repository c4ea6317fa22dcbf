#pragma once
// The emulator's Cloud Build (api-reference C.2). Builds are real: with --build-command CMD,
// a created build is QUEUED, then WORKING on a thread of its own: its source object is
// unpacked (tar -xzf) into a directory of its own and CMD runs through `sh -c` there, once
// for each of images[], with CONTEXT_DIR, IMAGE, BUILD_ID, PROJECT and LOG_FILE (a copy of
// the log so far) in its environment. What CMD prints is appended to the log object
// <logsBucket>/log-<id>.txt as it comes, in Cloud Build's shape ("Step #0: ..."). Exit
// status 0 and a line with "digest: sha256:<64 hex>" (what `docker push` prints) make the
// build SUCCESS with results.images[{name, digest}]; anything else FAILURE. The steps
// themselves are not interpreted: CMD stands for them (build-with-engine.sh builds and
// pushes with the test engine). A build past its timeout ends TIMEOUT, a cancelled one
// CANCELLED, both with CMD's process group stopped.
//
// The scenario's own key, read here from the same file:
//   cloud_build:
//     queue_delay_ms: 500        # QUEUED this long before WORKING
//     internal_errors: 1         # the next N builds end INTERNAL_ERROR without running
//     foreign_buckets: [x_cloudbuild]   # exist, but belong to another project

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage_state.hpp"

namespace deepdock::gcpemu {

struct CloudBuildScenario {
  int64_t queue_delay_ms = 0;
  int internal_errors = 0;
  std::vector<std::string> foreign_buckets;
};

// The `cloud_build:` key of a scenario file (defaults when absent). Throws
// std::runtime_error naming the file, as load_scenario does.
CloudBuildScenario load_cloud_build_scenario(const std::filesystem::path& file);

// An answer: the body and its HTTP status.
struct BuildAnswer {
  int status = 200;
  nlohmann::json body;
};

class CloudBuildState {
 public:
  CloudBuildState(std::string project, std::string project_number, CloudBuildScenario scenario,
                  StorageState& storage, std::string build_command, std::filesystem::path work_dir);
  // Stops the builds still running and waits for their threads.
  ~CloudBuildState();
  CloudBuildState(const CloudBuildState&) = delete;
  CloudBuildState& operator=(const CloudBuildState&) = delete;
  CloudBuildState(CloudBuildState&&) = delete;
  CloudBuildState& operator=(CloudBuildState&&) = delete;

  // builds.create: the Operation whose metadata.build is the queued build, or a 400.
  BuildAnswer create(const nlohmann::json& request);
  // builds.get; nullopt when there is no such build.
  std::optional<nlohmann::json> get(const std::string& id);
  // builds.cancel: the build (CANCELLED unless it had ended); nullopt when unknown.
  std::optional<nlohmann::json> cancel(const std::string& id);

 private:
  struct Build {
    nlohmann::json resource;  // guarded by the state's mutex
    std::atomic<bool> cancel_requested{false};
    std::string log_bucket;
    std::string log_object;  // "" when logging sends nothing to Cloud Storage
    std::filesystem::path dir;
    std::chrono::seconds timeout{600};
  };

  void run(const std::shared_ptr<Build>& build);
  // Sets status (and the times that go with it); `detail` becomes statusDetail.
  void set_status(Build& build, const std::string& status, const std::string& detail = {});
  void log(Build& build, const std::string& text);
  // Unpacks the source and runs the command for each image; the terminal status and detail.
  std::pair<std::string, std::string> execute(Build& build, nlohmann::json& images);

  std::string project_;
  std::string project_number_;
  CloudBuildScenario scenario_;
  StorageState& storage_;
  std::string build_command_;
  std::filesystem::path work_dir_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Build>> builds_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
};

}  // namespace deepdock::gcpemu
