#pragma once
// What deepdock learns about a container engine when it connects.

#include <map>
#include <string>
#include <vector>

#include "core/model/api_version.hpp"

namespace deepdock::core {

struct EngineInfo {
  std::string endpoint;           // "unix:///var/run/docker.sock"
  std::string version;            // "20.10.24+dfsg1"
  ApiVersion api_version;         // negotiated: min(client max, server)
  ApiVersion server_api_version;  // what the server reports
  ApiVersion server_min_api_version;
  std::string os;    // "linux"
  std::string arch;  // "amd64"
  std::string kernel;
  bool is_podman = false;
  std::vector<std::string> runtimes;  // "runc", "nvidia", ...
  std::string default_runtime;
  std::vector<std::string> cdi_spec_dirs;  // reported by engines with CDI enabled
  std::string cgroup_driver;               // "systemd" or "cgroupfs"
  std::string storage_driver;
  std::string docker_root_dir;
};

}  // namespace deepdock::core
