#pragma once
// The environment spec, deepdock.yaml, as typed values. Every key is optional; the defaults
// here are the documented ones (docs/spec.md). Parsing and validation: spec/spec_parser.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace deepdock::core {

enum class Framework { kTensorflow, kPytorch, kJax, kNone };
enum class GpuMode { kAuto, kRequired, kNone, kCount };
enum class JupyterMode { kLab, kNotebook, kNone };
enum class TargetKind { kLocal, kSsh, kGcp };
enum class BuildMode { kLocal, kCloudbuild };
enum class NetworkMode { kBridge, kHost };

std::string_view to_string(Framework value);
std::string_view to_string(GpuMode value);
std::string_view to_string(JupyterMode value);
std::string_view to_string(TargetKind value);
std::string_view to_string(BuildMode value);
std::string_view to_string(NetworkMode value);

// Where a value came from in the spec file (1-based), for messages and --explain.
struct SourceLocation {
  int line = 0;  // 0 = not from the file (a default)
  int column = 0;
};

struct GpuSetting {
  GpuMode mode = GpuMode::kAuto;
  int count = 0;  // with kCount: how many GPUs (>= 1)
};

struct GcpTarget {
  std::string project;             // default: the gcloud configuration's project
  std::vector<std::string> zones;  // tried in order; empty = every zone offering the accelerator
  std::string machine_type;        // empty = matched to the accelerator
  std::string accelerator = "nvidia-tesla-t4";
  int count = 1;
  int disk_gb = 100;
  std::string image_family = "ubuntu-2204-lts";
  bool spot = false;
  int idle_stop_minutes = 0;  // 0 = never
};

struct Target {
  TargetKind kind = TargetKind::kLocal;
  std::string host;  // kSsh: ssh://user@host[:port]
  GcpTarget gcp;
};

struct Ports {
  uint16_t jupyter = 8888;
  uint16_t tensorboard = 6006;
};

struct Spec {
  std::string name = "deepdock";  // names the image, container and VM
  Framework framework = Framework::kTensorflow;
  std::string version;  // "" = the newest release that fits; "2.15" = newest 2.15.x
  GpuSetting gpu;
  std::string python;         // "" = resolved
  std::string base = "auto";  // auto | an image ref | debootstrap:<suite>
  std::vector<std::string> apt;
  std::vector<std::string> pip;
  std::string requirements;  // path of a requirements file, relative to the spec
  JupyterMode jupyter = JupyterMode::kLab;
  bool tensorboard = true;
  Ports ports;
  std::vector<std::string> mounts;  // "host:container[:ro]", host relative to the spec
  NetworkMode network = NetworkMode::kBridge;
  Target target;
  BuildMode build = BuildMode::kLocal;
  std::string registry;  // where images are pushed for remote targets

  std::string file;  // the spec's path; empty for the default environment
  std::map<std::string, SourceLocation> locations;  // "target.gcp.zones" -> where it was set
};

}  // namespace deepdock::core
