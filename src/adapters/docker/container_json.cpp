#include "adapters/docker/container_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "adapters/docker/json_fields.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::docker {
namespace {

using nlohmann::json;
using namespace json_fields;  // NOLINT(google-build-using-namespace): local readers

constexpr std::string_view kCdiGpuKind = "nvidia.com/gpu";

std::string port_key(const core::PortBinding& port) {
  return fmt::format("{}/{}", port.container_port, port.protocol.empty() ? "tcp" : port.protocol);
}

std::string_view mount_type(core::Mount::Type type) {
  switch (type) {
    case core::Mount::Type::kBind:
      return "bind";
    case core::Mount::Type::kVolume:
      return "volume";
    case core::Mount::Type::kTmpfs:
      return "tmpfs";
  }
  return "bind";
}

json mount_json(const core::Mount& mount) {
  json out = {
      {"Type", mount_type(mount.type)}, {"Target", mount.target}, {"ReadOnly", mount.read_only}};
  if (mount.type != core::Mount::Type::kTmpfs) {
    out["Source"] = mount.source;
  }
  return out;
}

// The equivalent of `docker run --gpus ...`. Driver "" (not "nvidia") on purpose: the
// engine then picks any registered driver with the "gpu" capability, exactly as the docker
// CLI does, and a missing toolkit fails with the well-known `could not select device
// driver "" with capabilities: [[gpu]]` that engine_errors maps and users search for.
json nvidia_device_request(const core::GpuRequest& gpus) {
  std::vector<std::string> capabilities = gpus.capabilities;
  if (std::find(capabilities.begin(), capabilities.end(), "gpu") == capabilities.end()) {
    capabilities.emplace_back("gpu");
  }
  json request = {{"Driver", ""},
                  {"Count", gpus.count},
                  {"DeviceIDs", nullptr},
                  {"Capabilities", json::array({capabilities})},
                  {"Options", json::object()}};
  if (!gpus.device_ids.empty()) {
    // The engine refuses Count together with DeviceIDs.
    request["Count"] = 0;
    request["DeviceIDs"] = gpus.device_ids;
  }
  return request;
}

json cdi_device_request(const core::GpuRequest& gpus) {
  return {{"Driver", "cdi"}, {"DeviceIDs", cdi_device_names(gpus)}};
}

void add_gpus(const core::GpuRequest& gpus, bool is_podman, json& host_config) {
  if (gpus.mode == core::GpuRequest::Mode::kNone) {
    return;
  }
  bool use_cdi = gpus.mode == core::GpuRequest::Mode::kCdi;
  if (is_podman && !use_cdi) {
    // podman silently ignores non-CDI device requests: the container would get no GPU.
    log::debug("docker: podman ignores nvidia device requests; requesting GPUs through CDI");
    use_cdi = true;
  }
  if (!use_cdi) {
    host_config["DeviceRequests"] = json::array({nvidia_device_request(gpus)});
    return;
  }
  host_config["DeviceRequests"] = json::array({cdi_device_request(gpus)});
  if (is_podman) {
    // podman before 5.5 ignores even CDI device requests but treats Devices entries that
    // are CDI names as CDI devices.
    json devices = json::array();
    for (const auto& name : cdi_device_names(gpus)) {
      devices.push_back(
          {{"PathOnHost", name}, {"PathInContainer", name}, {"CgroupPermissions", ""}});
    }
    host_config["Devices"] = std::move(devices);
  }
}

json host_config_json(const core::ContainerSpec& spec, bool is_podman) {
  json host = json::object();
  if (!spec.ports.empty()) {
    json bindings = json::object();
    for (const auto& port : spec.ports) {
      bindings[port_key(port)].push_back(
          {{"HostIp", port.host_ip.empty() ? "127.0.0.1" : port.host_ip},
           {"HostPort", port.host_port == 0 ? std::string() : std::to_string(port.host_port)}});
    }
    host["PortBindings"] = std::move(bindings);
  }
  if (!spec.mounts.empty()) {
    json mounts = json::array();
    for (const auto& mount : spec.mounts) {
      mounts.push_back(mount_json(mount));
    }
    host["Mounts"] = std::move(mounts);
  }
  if (spec.shm_size_bytes) {
    host["ShmSize"] = *spec.shm_size_bytes;
  }
  if (!spec.ulimits.empty()) {
    json ulimits = json::array();
    for (const auto& ulimit : spec.ulimits) {
      ulimits.push_back({{"Name", ulimit.name}, {"Soft", ulimit.soft}, {"Hard", ulimit.hard}});
    }
    host["Ulimits"] = std::move(ulimits);
  }
  if (!spec.network_mode.empty()) {
    host["NetworkMode"] = spec.network_mode;
  }
  if (!spec.restart_policy.empty()) {
    host["RestartPolicy"] = {{"Name", spec.restart_policy}, {"MaximumRetryCount", 0}};
  }
  if (spec.init) {
    host["Init"] = true;
  }
  add_gpus(spec.gpus, is_podman, host);
  return host;
}

// "8888/tcp" -> 8888 and "tcp".
bool parse_port_key(std::string_view key, uint16_t& port, std::string& protocol) {
  const size_t slash = key.find('/');
  const std::string_view number = key.substr(0, slash);
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), port);
  if (error != std::errc{} || end != number.data() + number.size()) {
    return false;
  }
  protocol = slash == std::string_view::npos ? "tcp" : std::string(key.substr(slash + 1));
  return true;
}

std::vector<core::PortBinding> parse_ports(const json& ports) {
  std::vector<core::PortBinding> out;
  if (!ports.is_object()) {
    return out;
  }
  for (const auto& [key, bindings] : ports.items()) {
    core::PortBinding base;
    if (!parse_port_key(key, base.container_port, base.protocol) || !bindings.is_array()) {
      continue;  // exposed but not published
    }
    for (const auto& binding : bindings) {
      core::PortBinding port = base;
      port.host_ip = string_at(binding, "HostIp");
      const std::string host_port = string_at(binding, "HostPort");
      uint16_t number = 0;
      std::from_chars(host_port.data(), host_port.data() + host_port.size(), number);
      port.host_port = number;
      out.push_back(std::move(port));
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> cdi_device_names(const core::GpuRequest& gpus) {
  std::vector<std::string> names;
  for (const auto& id : gpus.device_ids) {
    // A bare index or UUID is qualified with NVIDIA's CDI kind.
    names.push_back(id.find('=') == std::string::npos ? fmt::format("{}={}", kCdiGpuKind, id) : id);
  }
  if (names.empty() && gpus.count > 0) {
    for (int i = 0; i < gpus.count; ++i) {
      names.push_back(fmt::format("{}={}", kCdiGpuKind, i));
    }
  }
  if (names.empty()) {
    names.push_back(fmt::format("{}=all", kCdiGpuKind));
  }
  return names;
}

json container_create_body(const core::ContainerSpec& spec, bool is_podman) {
  json body = {{"Image", spec.image}, {"Tty", spec.tty}, {"Labels", spec.labels}};
  if (!spec.cmd.empty()) {
    body["Cmd"] = spec.cmd;
  }
  if (spec.entrypoint) {
    // An empty entrypoint is sent as [""], which resets the image's, as `--entrypoint ""`.
    body["Entrypoint"] = spec.entrypoint->empty() ? std::vector<std::string>{""} : *spec.entrypoint;
  }
  if (!spec.env.empty()) {
    body["Env"] = spec.env;
  }
  if (!spec.working_dir.empty()) {
    body["WorkingDir"] = spec.working_dir;
  }
  if (!spec.user.empty()) {
    body["User"] = spec.user;
  }
  if (!spec.ports.empty()) {
    json exposed = json::object();
    for (const auto& port : spec.ports) {
      exposed[port_key(port)] = json::object();
    }
    body["ExposedPorts"] = std::move(exposed);
  }
  body["HostConfig"] = host_config_json(spec, is_podman);
  return body;
}

core::ContainerInfo parse_container_inspect(const json& inspect) {
  core::ContainerInfo info;
  info.id = string_at(inspect, "Id");
  info.name = string_at(inspect, "Name");
  if (!info.name.empty() && info.name.front() == '/') {
    info.name.erase(0, 1);
  }
  info.image_id = string_at(inspect, "Image");
  const auto& config = field(inspect, "Config");
  info.image = string_at(config, "Image");
  info.tty = bool_at(config, "Tty");
  info.labels = string_map_at(config, "Labels");
  info.env = strings_at(config, "Env");
  info.network_mode = string_at(field(inspect, "HostConfig"), "NetworkMode");
  const auto& state = field(inspect, "State");
  info.state.status = string_at(state, "Status");
  info.state.running = bool_at(state, "Running");
  info.state.exit_code = int_at(state, "ExitCode");
  info.state.oom_killed = bool_at(state, "OOMKilled");
  info.state.error = string_at(state, "Error");
  info.state.started_at = string_at(state, "StartedAt");
  info.state.finished_at = string_at(state, "FinishedAt");
  info.state.health = string_at(field(state, "Health"), "Status");
  info.ports = parse_ports(field(field(inspect, "NetworkSettings"), "Ports"));
  return info;
}

core::ContainerSummary parse_container_summary(const json& item) {
  core::ContainerSummary summary;
  summary.id = string_at(item, "Id");
  for (auto name : strings_at(item, "Names")) {
    if (!name.empty() && name.front() == '/') {
      name.erase(0, 1);
    }
    summary.names.push_back(std::move(name));
  }
  summary.image = string_at(item, "Image");
  summary.state = string_at(item, "State");
  summary.status = string_at(item, "Status");
  summary.labels = string_map_at(item, "Labels");
  return summary;
}

}  // namespace deepdock::adapters::docker
