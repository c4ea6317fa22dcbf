#pragma once
// The bootstrap of a host as plain data: the steps that bring a bare Ubuntu (18.04 to
// 24.04) or Debian (11, 12) machine to a verified container host, each with the commands
// that tell whether its effect is already there (check), the commands that make it
// (apply), and a hash of both: a step whose hash matches its checkpoint on the host is
// done, and a step whose commands changed runs again. Pure: the facts come in, the plan
// goes out; app/bootstrap_host runs it, and tests compare it with golden files.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/host_facts.hpp"
#include "core/ports/host_executor.hpp"
#include "util/error.hpp"

namespace deepdock::core {

// What the bootstrap reads from the host before planning.
struct BootstrapHost {
  std::string os_id;       // "ubuntu", "debian" (os-release ID)
  std::string os_version;  // "22.04", "12" (VERSION_ID)
  std::string codename;    // "jammy", "bookworm" (VERSION_CODENAME)
  std::string arch = "amd64";
  std::string kernel;   // `uname -r`: "5.15.0-105-generic"
  bool systemd = true;  // PID 1 is systemd; otherwise the engine's init script is used
  std::string user;     // the login user, added to the docker group ("root": nothing to do)
  std::vector<GpuFact> gpus;
};

struct BootstrapOptions {
  std::string driver_branch;  // "535" (the resolver's R535); "" = no GPU steps
  // The spec's `registry:` ("us-west1-docker.pkg.dev/learning-deeply/envs", "gcr.io/proj",
  // "127.0.0.1:5000/envs"); a Google one gets the gcloud credential helper. "" = none.
  std::string registry;
  // Idle auto-stop of a cloud VM (the spec's target.gcp.idle_stop_minutes, see
  // core/bootstrap/idle_stop_step): nullopt = not deepdock's to manage (local and SSH hosts:
  // no step); 0 = off (the step removes a timer an earlier spec installed); N > 0 = the VM
  // powers itself off after N minutes with no activity.
  std::optional<int> idle_stop_minutes;
  // The host ports whose established connections count as activity (Jupyter, TensorBoard).
  std::vector<uint16_t> idle_ports;
};

// A check passes when its command exits 0 and, if `stdout_contains` is set, prints it.
struct BootstrapCheck {
  HostCommand command;
  std::string stdout_contains;
};

struct BootstrapStep {
  std::string id;                      // "docker-engine"
  std::string title;                   // "install the Docker engine (Debian's docker.io)"
  std::string why;                     // the reason, for `--explain` and the golden files
  std::vector<BootstrapCheck> checks;  // every one passes: the step's effect is there
  std::vector<HostCommand> apply;      // run in order as root; the first failure stops
  bool reboots = false;                // apply reboots the host: wait for it, then go on
  bool new_session = false;            // apply changed the user's groups: reconnect after
  std::string hash;                    // of id, checks and apply
};

// A command that writes `content` to `path` on the host (quietly, unlike tee).
HostCommand write_file_command(const std::string& path, std::string content);

// The OS the bootstrap supports, or kIncompatible naming the ones it does.
Status check_bootstrap_os(const BootstrapHost& host);

Result<std::vector<BootstrapStep>> plan_bootstrap(const BootstrapHost& host,
                                                  const BootstrapOptions& options);

// The plan as text, one block per step with its commands quoted as a shell would read
// them: `deepdock bootstrap --dry-run` prints it, and the golden files hold it.
std::string bootstrap_plan_text(const std::vector<BootstrapStep>& steps);

// Where the host keeps the checkpoints: <dir>/<step id> holds the hash of the finished step.
inline constexpr const char* kBootstrapStateDir = "/var/lib/deepdock/bootstrap";

}  // namespace deepdock::core
