#pragma once
// FakeEngine: an in-memory ContainerEngine for app-layer tests. It keeps images and
// containers in maps, records every call by name, and can be told to fail a call. Calls
// may come from two threads.

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/ports/container_engine.hpp"

namespace deepdock::testing {

class FakeEngine : public core::ContainerEngine {
 public:
  core::EngineInfo engine_info{.endpoint = "unix:///fake.sock",
                               .version = "20.10.24",
                               .api_version = {1, 41},
                               .server_api_version = {1, 41},
                               .server_min_api_version = {1, 12},
                               .os = "linux",
                               .arch = "amd64",
                               .runtimes = {"runc"},
                               .default_runtime = "runc"};
  std::map<std::string, core::ImageInfo> images;
  std::map<std::string, core::ContainerInfo> containers;
  std::vector<std::string> calls;
  std::map<std::string, Error> failures;  // call name -> error to return
  std::set<std::string> networks = {"bridge", "host", "none"};
  std::vector<core::ContainerSpec> created;  // every create_container request, in order
  // Answers exec; unset: exit 0 with no output.
  std::function<Result<core::ExecResult>(std::string_view id, const core::ExecSpec& spec)>
      exec_handler;
  // What put_file wrote, by container path: content and mode.
  std::map<std::string, std::pair<std::string, uint32_t>> put_files;
  // Fails start_container with this error when set (a GPU host without the toolkit).
  std::optional<Error> start_failure;
  // Containers the engine is still removing (an interrupted run asked): remove answers 409,
  // and each inspect brings the removal one step nearer its end; at 0 the container is gone.
  std::map<std::string, int> removal_in_progress;

  Result<core::EngineInfo> info() override {
    const std::lock_guard lock(mutex_);
    TRY(record("info"));
    return engine_info;
  }
  [[nodiscard]] std::string endpoint() const override { return engine_info.endpoint; }
  Result<core::ImageInfo> inspect_image(std::string_view ref) override {
    const std::lock_guard lock(mutex_);
    TRY(record("inspect_image"));
    if (const auto it = images.find(std::string(ref)); it != images.end()) {
      return it->second;
    }
    for (const auto& [name, image] : images) {
      if (image.id == ref) {
        return image;
      }
    }
    return fail(ErrorCode::kNotFound, "no such image: " + std::string(ref));
  }
  Status pull_image(const core::ImageRef& ref, const core::ProgressFn& /*progress*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("pull_image"));
    images[ref.str()] = core::ImageInfo{.id = "sha256:pulled", .repo_tags = {ref.str()}};
    return {};
  }
  Result<std::string> build_image(const core::BuildRequest& request,
                                  const core::ProgressFn& /*progress*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("build_image"));
    const std::string id = "sha256:built" + std::to_string(images.size());
    for (const auto& tag : request.tags) {
      images[tag] = core::ImageInfo{.id = id, .repo_tags = {tag}, .labels = request.labels};
    }
    return id;
  }
  Status tag_image(std::string_view source, const core::ImageRef& target) override {
    const std::lock_guard lock(mutex_);
    TRY(record("tag_image"));
    TRY_ASSIGN(auto image, inspect_image(source));
    images[target.str()] = image;
    return {};
  }
  Status push_image(const core::ImageRef& /*ref*/, const core::ProgressFn& /*progress*/) override {
    const std::lock_guard lock(mutex_);
    return record("push_image");
  }
  Status remove_image(std::string_view ref, bool /*force*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("remove_image"));
    if (images.erase(std::string(ref)) == 0) {
      return fail(ErrorCode::kNotFound, "no such image: " + std::string(ref));
    }
    return {};
  }
  Result<std::string> import_image(const core::ImportRequest& request,
                                   const core::ProgressFn& /*progress*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("import_image"));
    const std::string ref = request.repository + ":" + request.tag;
    const std::string id = "sha256:imported" + std::to_string(images.size());
    images[ref] = core::ImageInfo{.id = id, .repo_tags = {ref}};
    return id;
  }
  Result<std::vector<core::ImageInfo>> list_images(
      const std::vector<std::string>& labels) override {
    const std::lock_guard lock(mutex_);
    TRY(record("list_images"));
    std::vector<core::ImageInfo> out;
    for (const auto& [ref, image] : images) {
      if (matches(image.labels, labels)) {
        out.push_back(image);
      }
    }
    return out;
  }
  // save_image writes the image's name, ID and the layers it kept, one per line; load_image
  // reads that back and adds the image with every layer it had.
  Result<core::SavedImage> save_image(std::string_view ref, const std::set<std::string>& omit,
                                      const std::filesystem::path& path) override {
    const std::lock_guard lock(mutex_);
    TRY(record("save_image"));
    const auto found = images.find(std::string(ref));
    if (found == images.end()) {
      return fail(ErrorCode::kNotFound, "no such image: " + std::string(ref));
    }
    saved_omits.push_back(omit);
    std::ofstream out(path);
    out << ref << '\n' << found->second.id << '\n';
    core::SavedImage saved;
    for (const std::string& layer : found->second.layers) {
      out << (omit.contains(layer) ? "-" : "+") << layer << '\n';
      if (omit.contains(layer)) {
        ++saved.layers_left_out;
      }
    }
    saved.bytes = static_cast<uint64_t>(out.tellp());
    return saved;
  }
  Status load_image(const std::filesystem::path& archive,
                    const core::ProgressFn& /*progress*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("load_image"));
    std::ifstream in(archive);
    std::string ref;
    core::ImageInfo image;
    std::getline(in, ref);
    std::getline(in, image.id);
    for (std::string line; std::getline(in, line);) {
      image.layers.push_back(line.substr(1));
    }
    image.repo_tags = {ref};
    images[ref] = image;
    return {};
  }
  std::vector<std::set<std::string>> saved_omits;  // the `omit` of each save_image

  Result<bool> network_exists(std::string_view name) override {
    const std::lock_guard lock(mutex_);
    TRY(record("network_exists"));
    return networks.contains(std::string(name));
  }
  Result<std::string> create_container(const core::ContainerSpec& spec) override {
    const std::lock_guard lock(mutex_);
    TRY(record("create_container"));
    for (const auto& [existing_id, existing] : containers) {
      if (existing.name == spec.name) {
        return fail(ErrorCode::kConflict, "name in use: " + spec.name);
      }
    }
    const std::string id = "c" + std::to_string(++next_id_);
    created.push_back(spec);
    containers[id] = core::ContainerInfo{.id = id,
                                         .name = spec.name,
                                         .image = spec.image,
                                         .tty = spec.tty,
                                         .labels = spec.labels,
                                         .state = {.status = "created"},
                                         .env = spec.env,
                                         .network_mode = spec.network_mode};
    return id;
  }
  Status start_container(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    TRY(record("start_container"));
    TRY_ASSIGN(auto* c, find(id));
    if (start_failure) {
      return tl::unexpected(*start_failure);
    }
    c->state.status = "running";
    c->state.running = true;
    c->state.started_at = "2026-11-24T10:00:0" + std::to_string(++starts_) + "Z";
    return {};
  }
  Result<core::ContainerInfo> inspect_container(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    TRY(record("inspect_container"));
    if (auto pending = removal_in_progress.find(std::string(id));
        pending != removal_in_progress.end() && --pending->second <= 0) {
      containers.erase(pending->first);
      removal_in_progress.erase(pending);
    }
    TRY_ASSIGN(auto* c, find(id));
    return *c;
  }
  Result<std::vector<core::ContainerSummary>> list_containers(
      const std::vector<std::string>& labels, bool include_stopped) override {
    const std::lock_guard lock(mutex_);
    TRY(record("list_containers"));
    std::vector<core::ContainerSummary> out;
    for (const auto& [id, c] : containers) {
      if (!matches(c.labels, labels) || (!include_stopped && !c.state.running)) {
        continue;
      }
      out.push_back({.id = id,
                     .names = {c.name},
                     .image = c.image,
                     .state = c.state.status,
                     .labels = c.labels});
    }
    return out;
  }
  Result<int64_t> wait_container(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    TRY(record("wait_container"));
    TRY_ASSIGN(auto* c, find(id));
    return c->state.exit_code;
  }
  Status container_logs(std::string_view /*id*/, const core::LogOptions& /*options*/,
                        const core::OutputFn& /*output*/) override {
    const std::lock_guard lock(mutex_);
    return record("container_logs");
  }
  Result<core::ExecResult> exec(std::string_view id, const core::ExecSpec& spec,
                                const core::OutputFn& /*output*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("exec"));
    if (exec_handler) {
      return exec_handler(id, spec);
    }
    return core::ExecResult{};
  }
  Result<int64_t> exec_attached(std::string_view /*id*/,
                                const core::AttachedExecSpec& /*spec*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("exec_attached"));
    return int64_t{0};
  }
  Status copy_to_container(std::string_view /*id*/, const std::filesystem::path& /*host_path*/,
                           std::string_view /*container_dir*/) override {
    const std::lock_guard lock(mutex_);
    return record("copy_to_container");
  }
  Status put_file(std::string_view /*id*/, std::string_view container_path,
                  std::string_view content, uint32_t mode) override {
    const std::lock_guard lock(mutex_);
    put_files[std::string(container_path)] = {std::string(content), mode};
    return record("put_file");
  }
  Status copy_from_container(std::string_view /*id*/, std::string_view /*container_path*/,
                             const std::filesystem::path& /*host_dir*/) override {
    const std::lock_guard lock(mutex_);
    return record("copy_from_container");
  }
  Status stop_container(std::string_view id, int /*timeout_seconds*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("stop_container"));
    TRY_ASSIGN(auto* c, find(id));
    c->state.status = "exited";
    c->state.running = false;
    return {};
  }
  Status remove_container(std::string_view id, bool /*force*/, bool /*remove_volumes*/) override {
    const std::lock_guard lock(mutex_);
    TRY(record("remove_container"));
    if (removal_in_progress.contains(std::string(id))) {
      return fail(ErrorCode::kConflict,
                  "removal of container " + std::string(id) + " is already in progress");
    }
    if (containers.erase(std::string(id)) == 0) {
      return fail(ErrorCode::kNotFound, "no such container: " + std::string(id));
    }
    return {};
  }

 private:
  // exec runs beside inspect in `up` (the check and the wait overlap).
  std::recursive_mutex mutex_;
  int next_id_ = 0;
  int starts_ = 0;

  Status record(const std::string& call) {
    calls.push_back(call);
    if (const auto it = failures.find(call); it != failures.end()) {
      return tl::unexpected(it->second);
    }
    return {};
  }
  static bool matches(const std::map<std::string, std::string>& have,
                      const std::vector<std::string>& wanted) {
    for (const auto& filter : wanted) {
      const auto eq = filter.find('=');
      const std::string key = filter.substr(0, eq);
      const auto it = have.find(key);
      if (it == have.end() || (eq != std::string::npos && it->second != filter.substr(eq + 1))) {
        return false;
      }
    }
    return true;
  }
  Result<core::ContainerInfo*> find(std::string_view id) {
    const auto it = containers.find(std::string(id));
    if (it == containers.end()) {
      return fail(ErrorCode::kNotFound, "no such container: " + std::string(id));
    }
    return &it->second;
  }
};

}  // namespace deepdock::testing
