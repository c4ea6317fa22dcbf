#include "cloudbuild_state.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "build_runner.hpp"
#include "util/base64.hpp"
#include "util/random.hpp"

namespace deepdock::gcpemu {
namespace {

using Json = nlohmann::json;

std::string uuid() {
  const std::string hex = util::random_hex(16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string string_at(const Json& json, const Json::json_pointer& pointer) {
  return json.contains(pointer) && json.at(pointer).is_string()
             ? json.at(pointer).get<std::string>()
             : std::string();
}

BuildAnswer invalid(const std::string& message) {
  return {400, {{"error", {{"code", 400}, {"message", message}, {"status", "INVALID_ARGUMENT"}}}}};
}

// "1200s", "1200.5s" → seconds; 600 (the old default) when absent or malformed.
std::chrono::seconds parse_duration(const std::string& text) {
  try {
    if (!text.empty() && text.back() == 's') {
      return std::chrono::seconds(static_cast<int64_t>(std::stod(text)));
    }
  } catch (const std::exception&) {
  }
  return std::chrono::seconds(600);
}

}  // namespace

CloudBuildScenario load_cloud_build_scenario(const std::filesystem::path& file) {
  CloudBuildScenario scenario;
  try {
    const YAML::Node node = YAML::LoadFile(file.string())["cloud_build"];
    if (node) {
      scenario.queue_delay_ms = node["queue_delay_ms"].as<int64_t>(0);
      scenario.internal_errors = node["internal_errors"].as<int>(0);
      if (node["foreign_buckets"]) {
        scenario.foreign_buckets = node["foreign_buckets"].as<std::vector<std::string>>();
      }
    }
  } catch (const YAML::Exception& error) {
    throw std::runtime_error(file.string() + ": cloud_build: " + error.what());
  }
  return scenario;
}

CloudBuildState::CloudBuildState(std::string project, std::string project_number,
                                 CloudBuildScenario scenario, StorageState& storage,
                                 std::string build_command, std::filesystem::path work_dir)
    : project_(std::move(project)),
      project_number_(std::move(project_number)),
      scenario_(std::move(scenario)),
      storage_(storage),
      build_command_(std::move(build_command)),
      work_dir_(std::move(work_dir)) {}

CloudBuildState::~CloudBuildState() {
  stopping_ = true;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

BuildAnswer CloudBuildState::create(const Json& request) {
  const std::string bucket = string_at(request, "/source/storageSource/bucket"_json_pointer);
  const std::string object = string_at(request, "/source/storageSource/object"_json_pointer);
  if (bucket.empty() || object.empty()) {
    return invalid("invalid build: source.storageSource must name a bucket and an object");
  }
  if (!storage_.get(bucket, object)) {
    return invalid("could not resolve source: googleapi: Error 404: No such object: " + bucket +
                   "/" + object + ", notFound");
  }
  if (!request.contains("steps") || !request["steps"].is_array() || request["steps"].empty()) {
    return invalid("invalid build: no build steps");
  }
  auto build = std::make_shared<Build>();
  const std::string id = uuid();
  std::string logs_bucket = string_at(request, "/logsBucket"_json_pointer);
  if (logs_bucket.empty()) {
    logs_bucket = "gs://" + project_number_ + ".cloudbuild-logs.googleusercontent.com";
  }
  if (logs_bucket.rfind("gs://", 0) != 0) {
    return invalid("invalid logsBucket \"" + logs_bucket + "\": must be gs://bucket[/prefix]");
  }
  const std::string path = logs_bucket.substr(5);
  const size_t slash = path.find('/');
  build->log_bucket = path.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : path.substr(slash + 1);
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  if (!string_at(request, "/logsBucket"_json_pointer).empty() &&
      !storage_.bucket(build->log_bucket)) {
    return invalid("invalid logsBucket \"" + logs_bucket + "\": the bucket does not exist");
  }
  const std::string logging = string_at(request, "/options/logging"_json_pointer);
  if (logging != "CLOUD_LOGGING_ONLY" && logging != "STACKDRIVER_ONLY" && logging != "NONE") {
    build->log_object = (prefix.empty() ? "" : prefix + "/") + "log-" + id + ".txt";
  }
  build->timeout = parse_duration(string_at(request, "/timeout"_json_pointer));
  build->dir = work_dir_ / "builds" / id;

  Json& resource = build->resource;
  resource = request;
  resource["id"] = id;
  resource["name"] = "projects/" + project_ + "/locations/global/builds/" + id;
  resource["projectId"] = project_;
  resource["status"] = "QUEUED";
  resource["createTime"] = rfc3339_now();
  resource["timeout"] = std::to_string(build->timeout.count()) + "s";
  resource["logsBucket"] = logs_bucket;
  resource["logUrl"] =
      "https://console.cloud.google.com/cloud-build/builds/" + id + "?project=" + project_number_;
  Json operation = {
      {"name", "operations/build/" + project_ + "/" + util::base64url_encode(id)},
      {"metadata",
       {{"@type", "type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata"},
        {"build", resource}}}};
  std::lock_guard lock(mutex_);
  builds_[id] = build;
  threads_.emplace_back([this, build] { run(build); });
  return {200, operation};
}

std::optional<Json> CloudBuildState::get(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto found = builds_.find(id);
  if (found == builds_.end()) {
    return std::nullopt;
  }
  return found->second->resource;
}

std::optional<Json> CloudBuildState::cancel(const std::string& id) {
  std::shared_ptr<Build> build;
  {
    std::lock_guard lock(mutex_);
    const auto found = builds_.find(id);
    if (found == builds_.end()) {
      return std::nullopt;
    }
    build = found->second;
  }
  build->cancel_requested = true;
  // Answer once the build has stopped, as the API's answer already says CANCELLED.
  for (int i = 0; i < 500; ++i) {
    if (auto now = get(id);
        now && now->value("status", "") != "QUEUED" && now->value("status", "") != "WORKING") {
      return now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return get(id);
}

void CloudBuildState::set_status(Build& build, const std::string& status,
                                 const std::string& detail) {
  std::lock_guard lock(mutex_);
  Json& resource = build.resource;
  resource["status"] = status;
  if (status == "WORKING") {
    resource["startTime"] = rfc3339_now();
  } else if (status != "QUEUED") {
    resource["finishTime"] = rfc3339_now();
  }
  if (!detail.empty()) {
    resource["statusDetail"] = detail;
  }
}

void CloudBuildState::log(Build& build, const std::string& text) {
  if (build.log_object.empty()) {
    return;
  }
  storage_.append(build.log_bucket, build.log_object, text);
  std::ofstream(build.dir / "log.txt", std::ios::app) << text;
}

void CloudBuildState::run(const std::shared_ptr<Build>& build) {
  std::filesystem::create_directories(build->dir);
  const std::string id = build->resource["id"];
  const auto stop = [&] { return stopping_ || build->cancel_requested; };
  const auto queued_until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(scenario_.queue_delay_ms);
  while (std::chrono::steady_clock::now() < queued_until && !stop()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (stop()) {
    set_status(*build, "CANCELLED");
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (scenario_.internal_errors > 0) {
      --scenario_.internal_errors;
      build->resource["status"] = "INTERNAL_ERROR";
      build->resource["statusDetail"] = "an internal error injected by the scenario";
      build->resource["finishTime"] = rfc3339_now();
      return;
    }
  }
  set_status(*build, "WORKING");
  log(*build, "starting build \"" + id + "\"\n\n");
  Json images = Json::array();
  const auto [status, detail] = execute(*build, images);
  if (status == "SUCCESS") {
    std::lock_guard lock(mutex_);
    build->resource["results"] = {{"images", images}};
  }
  log(*build, status == "SUCCESS" ? "DONE\n" : "ERROR\nERROR: " + detail + "\n");
  set_status(*build, status, status == "SUCCESS" ? "" : detail);
}

std::pair<std::string, std::string> CloudBuildState::execute(Build& build, Json& images) {
  Json request;
  {
    std::lock_guard lock(mutex_);
    request = build.resource;
  }
  const auto deadline = std::chrono::steady_clock::now() + build.timeout;
  const auto stop = [&] { return stopping_ || build.cancel_requested; };
  const auto ended = [&](const RunOutcome& outcome) -> std::optional<std::string> {
    if (outcome.stopped) {
      return "CANCELLED";
    }
    if (outcome.timed_out) {
      return "TIMEOUT";
    }
    return std::nullopt;
  };
  const std::string bucket = string_at(request, "/source/storageSource/bucket"_json_pointer);
  const std::string object = string_at(request, "/source/storageSource/object"_json_pointer);
  log(build, "FETCHSOURCE\nFetching storage object: gs://" + bucket + "/" + object + "\n");
  const auto source = storage_.get(bucket, object);
  const auto context = build.dir / "context";
  std::filesystem::create_directories(context);
  std::ofstream(build.dir / "source.tgz", std::ios::binary) << (source ? source->data : "");
  std::string unpack_output;
  const RunOutcome unpacked = run_program(
      {.argv = {"tar", "-xzf", (build.dir / "source.tgz").string(), "-C", context.string()},
       .deadline = deadline,
       .on_output = [&](std::string_view text) { unpack_output += text; },
       .should_stop = stop});
  if (const auto status = ended(unpacked)) {
    return {*status, "the build was stopped while fetching its source"};
  }
  if (!source || unpacked.exit_status != 0) {
    log(build, unpack_output);
    return {"FAILURE", "failed to unpack the source gs://" + bucket + "/" + object};
  }
  if (build_command_.empty()) {
    return {"FAILURE", "the emulator runs builds only with --build-command"};
  }
  const std::string step = request["steps"][0].value("name", "builder");
  log(build, "BUILD\nStarting Step #0\n");
  static const std::regex kDigest(R"(digest: (sha256:[0-9a-f]{64}))");
  for (const Json& image : request.value("images", Json::array())) {
    const std::string name = image.get<std::string>();
    std::string partial;
    std::string digest;
    const auto on_output = [&](std::string_view text) {
      partial += text;
      size_t start = 0;
      for (size_t end = partial.find('\n'); end != std::string::npos;
           end = partial.find('\n', start)) {
        const std::string line = partial.substr(start, end - start);
        if (std::smatch match; std::regex_search(line, match, kDigest)) {
          digest = match[1];
        }
        log(build, "Step #0: " + line + "\n");
        start = end + 1;
      }
      partial.erase(0, start);
    };
    const RunOutcome ran = run_program({.argv = {"/bin/sh", "-c", build_command_},
                                        .env = {{"CONTEXT_DIR", context.string()},
                                                {"IMAGE", name},
                                                {"BUILD_ID", request.value("id", "")},
                                                {"PROJECT", project_},
                                                {"LOG_FILE", (build.dir / "log.txt").string()}},
                                        .dir = context,
                                        .deadline = deadline,
                                        .on_output = on_output,
                                        .should_stop = stop});
    if (!partial.empty()) {
      on_output("\n");
    }
    if (const auto status = ended(ran)) {
      log(build, "Finished Step #0\n");
      return {*status, *status == "TIMEOUT" ? "Build timeout" : "Build cancelled"};
    }
    if (ran.exit_status != 0) {
      return {"FAILURE", "build step 0 \"" + step +
                             "\" failed: step exited with non-zero status: " +
                             std::to_string(ran.exit_status)};
    }
    if (digest.empty()) {
      return {"FAILURE", "failed to push " + name + ": the build command printed no digest"};
    }
    images.push_back({{"name", name}, {"digest", digest}});
  }
  log(build, "Finished Step #0\nPUSH\n");
  for (const Json& image : images) {
    log(build, "Pushing " + image["name"].get<std::string>() + "\n" +
                   image["digest"].get<std::string>() + "\n");
  }
  return {"SUCCESS", ""};
}

}  // namespace deepdock::gcpemu
