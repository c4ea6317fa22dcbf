#pragma once
// What deepdock asks of a container engine, and what it reads back. Plain values: the
// Docker adapter turns them into Engine API JSON.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace deepdock::core {

// How GPUs reach the container. The engine's "nvidia" device driver (registered when the
// NVIDIA container toolkit's hook is on dockerd's PATH), or CDI device names (engines
// 25+ with CDI enabled, and podman).
struct GpuRequest {
  enum class Mode { kNone, kNvidiaDriver, kCdi };
  Mode mode = Mode::kNone;
  int count = -1;                       // -1 = all; ignored when device_ids is set
  std::vector<std::string> device_ids;  // "0", "GPU-uuid", or CDI names "nvidia.com/gpu=all"
  // nvidia driver only, e.g. {"gpu", "compute", "utility"}.
  std::vector<std::string> capabilities = {"gpu"};
};

struct PortBinding {
  uint16_t container_port = 0;
  std::string protocol = "tcp";
  std::string host_ip = "127.0.0.1";  // never 0.0.0.0 unless the user asks
  uint16_t host_port = 0;             // 0 = the engine picks
};

struct Mount {
  enum class Type { kBind, kVolume, kTmpfs };
  Type type = Type::kBind;
  std::string source;  // host path or volume name
  std::string target;  // path in the container
  bool read_only = false;
};

struct Ulimit {
  std::string name;  // "memlock", "stack", "nofile"
  int64_t soft = -1;
  int64_t hard = -1;
};

struct ContainerSpec {
  std::string name;
  std::string image;
  std::vector<std::string> cmd;
  std::optional<std::vector<std::string>> entrypoint;
  std::vector<std::string> env;  // "KEY=value"
  std::map<std::string, std::string> labels;
  std::string working_dir;
  std::string user;
  bool tty = false;
  std::string network_mode;  // "" = engine default, "host", "none", "bridge"
  std::vector<PortBinding> ports;
  std::vector<Mount> mounts;
  std::optional<int64_t> shm_size_bytes;
  std::vector<Ulimit> ulimits;
  GpuRequest gpus;
  std::string restart_policy;  // "", "no", "unless-stopped", "always", "on-failure"
  bool init = false;
};

struct ContainerState {
  std::string status;  // created, running, paused, restarting, removing, exited, dead
  bool running = false;
  int64_t exit_code = 0;
  bool oom_killed = false;
  std::string error;
  std::string started_at;
  std::string finished_at;
  std::string health;  // "", starting, healthy, unhealthy
};

struct ContainerInfo {
  std::string id;
  std::string name;      // without the leading '/'
  std::string image;     // as given at create
  std::string image_id;  // sha256:...
  bool tty = false;
  std::map<std::string, std::string> labels;
  ContainerState state;
  std::vector<PortBinding> ports;  // actual bindings (host_port filled in)
  std::vector<std::string> env;    // "KEY=value", as created
  std::string network_mode;        // "host", "bridge", "default", "none", ...
};

struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;
  std::string image;
  std::string state;   // running, exited, ...
  std::string status;  // "Up 3 minutes"
  std::map<std::string, std::string> labels;
};

struct ExecSpec {
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string working_dir;
  std::string user;
};

struct ExecResult {
  int64_t exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
};

struct LogOptions {
  bool follow = false;
  bool timestamps = false;
  std::string tail = "all";  // "all" or a line count
};

enum class StreamKind { kStdout, kStderr };

struct TerminalSize {
  uint16_t rows = 0;
  uint16_t cols = 0;
};

// A command attached to the caller's file descriptors (`deepdock shell`): the engine's
// hijacked stream carries stdin one way and the output the other.
struct AttachedExecSpec {
  ExecSpec exec;
  bool tty = false;   // a pseudo-terminal in the container (stdout and stderr merged)
  TerminalSize size;  // its initial size, with tty
  int stdin_fd = 0;   // -1: no stdin
  int stdout_fd = 1;
  int stderr_fd = 2;  // unused with tty
  // Asked whenever the session wakes (at least every 100 ms): a new size after the local
  // terminal was resized, nullopt otherwise.
  std::function<std::optional<TerminalSize>()> resized;
};

}  // namespace deepdock::core
