#include "adapters/docker/engine_json.hpp"

#include <fmt/format.h>

#include "adapters/docker/json_fields.hpp"

namespace deepdock::adapters::docker {

using nlohmann::json;
using namespace json_fields;  // NOLINT(google-build-using-namespace): local readers

Result<json> parse_json_body(std::string_view body, std::string_view action) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    constexpr size_t kQuoted = 200;
    return fail(ErrorCode::kFailure, fmt::format("{}: the engine's answer is not JSON: \"{}\"",
                                                 action, body.substr(0, kQuoted)));
  }
  return parsed;
}

core::ImageInfo parse_image_inspect(const json& inspect) {
  // What an inspect shares with a list entry, then what only it has; its labels live under
  // Config.
  core::ImageInfo image = parse_image_summary(inspect);
  image.created = string_at(inspect, "Created");
  image.labels = string_map_at(field(inspect, "Config"), "Labels");
  image.os = string_at(inspect, "Os");
  image.architecture = string_at(inspect, "Architecture");
  image.layers = strings_at(field(inspect, "RootFS"), "Layers");
  return image;
}

core::ImageInfo parse_image_summary(const json& summary) {
  core::ImageInfo image;
  image.id = string_at(summary, "Id");
  image.repo_tags = strings_at(summary, "RepoTags");
  image.repo_digests = strings_at(summary, "RepoDigests");
  image.size_bytes = int_at(summary, "Size");
  image.labels = string_map_at(summary, "Labels");
  return image;
}

void read_version(const json& version, core::EngineInfo& info) {
  info.version = string_at(version, "Version");
  if (const auto api = core::ApiVersion::parse(string_at(version, "ApiVersion"))) {
    info.server_api_version = *api;
  }
  if (const auto min_api = core::ApiVersion::parse(string_at(version, "MinAPIVersion"))) {
    info.server_min_api_version = *min_api;
  }
  info.os = string_at(version, "Os");
  info.arch = string_at(version, "Arch");
  info.kernel = string_at(version, "KernelVersion");
  if (const auto& components = field(version, "Components"); components.is_array()) {
    for (const auto& component : components) {
      if (string_at(component, "Name").find("Podman") != std::string::npos) {
        info.is_podman = true;
      }
    }
  }
}

void read_info(const json& system_info, core::EngineInfo& info) {
  info.runtimes.clear();
  if (const auto& runtimes = field(system_info, "Runtimes"); runtimes.is_object()) {
    for (const auto& [name, runtime] : runtimes.items()) {
      info.runtimes.push_back(name);
    }
  }
  info.default_runtime = string_at(system_info, "DefaultRuntime");
  info.cgroup_driver = string_at(system_info, "CgroupDriver");
  info.storage_driver = string_at(system_info, "Driver");
  info.docker_root_dir = string_at(system_info, "DockerRootDir");
  info.cdi_spec_dirs = strings_at(system_info, "CDISpecDirs");
  if (info.kernel.empty()) {
    info.kernel = string_at(system_info, "KernelVersion");
  }
}

}  // namespace deepdock::adapters::docker
