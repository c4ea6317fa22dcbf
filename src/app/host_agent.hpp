#pragma once
// The bootstrap run by deepdock itself on the host: this deepdock, as a bundle that carries
// its own C library and loader (adapters/host/self_bundle), is copied to the host once per
// build, and `deepdock bootstrap --on-host` runs the steps there as root with the same
// checkpoints, while the deepdock that started it over SSH relays its output.
//
// On the host (paths below): the bundle in kHostAgentRoot/<hash prefix>/{bin,lib}, the
// launcher kHostLauncher, the options the local side chose in kHostOptionsPath, and the lock
// kHostLockPath. The host side prints its step lines on stderr and, last, one results line
// (kResultsPrefix + JSON) on stdout; it exits 0 when done, kExitRebooting (after a
// kRebootPrefix line naming the boot id) when it started a reboot, and on failure the
// status its error gives after a kErrorPrefix line that carries the error.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/bootstrap_host.hpp"
#include "core/ports/host_executor.hpp"

namespace deepdock::app {

inline constexpr const char* kHostAgentRoot = "/var/lib/deepdock/host";
inline constexpr const char* kHostLauncher = "/var/lib/deepdock/bin/deepdock";
inline constexpr const char* kHostOptionsPath = "/var/lib/deepdock/bootstrap/options.json";
inline constexpr const char* kHostLockPath = "/var/lib/deepdock/bootstrap/.lock";
inline constexpr std::string_view kResultsPrefix = "deepdock-bootstrap-results ";
inline constexpr std::string_view kRebootPrefix = "deepdock-bootstrap-rebooting ";
inline constexpr std::string_view kErrorPrefix = "deepdock-bootstrap-error ";

// What the local side decides for the host side: what the host cannot work out alone.
struct HostAgentOptions {
  std::string driver_branch;             // "535"; "" = no GPU steps
  std::string origin;                    // for the boot script's header: "ssh://whale@203.0.113.7"
  std::string user;                      // the login user (the host side runs as root): "whale"
  std::string registry;                  // the spec's registry, for its credential helper
  std::optional<int> idle_stop_minutes;  // a cloud VM's idle auto-stop (BootstrapOptions)
  std::vector<uint16_t> idle_ports;      // whose connections count as activity
};

std::string options_json(const HostAgentOptions& options);
Result<HostAgentOptions> parse_options_json(std::string_view text);

// The bundle's directory on the host for a content hash.
std::string bundle_dir(std::string_view hash);
// The launcher: a POSIX sh script that runs the bundle's deepdock through the bundle's loader.
std::string launcher_script(std::string_view dir, std::string_view interpreter);

// The results line of a host-side run, and its reading on the local side.
struct HostRunReport {
  std::vector<BootstrapStepResult> results;
  bool reconnect = false;  // a step changed the login user's groups: open a new session
};
std::string results_line(const HostRunReport& report);
std::optional<HostRunReport> parse_results_line(std::string_view line);
// A failure of the host side as one line, and back into an Error on the local side.
std::string error_line(const Error& error);
std::optional<Error> parse_error_line(std::string_view line);

// The bundle as the local side knows it; `archive` packs it only when the host lacks it.
struct AgentBundle {
  std::string hash;
  std::string interpreter;
  std::function<Result<std::string>()> archive;  // gzip tar with bin/ and lib/
};

// Copies the bundle to the host unless it is there (one cheap test first), writes the
// launcher, and checks the bundle starts there. An empty result: installed and working; a
// note: why the host side cannot be used (the caller drives the steps over SSH instead).
Result<std::string> install_host_agent(core::HostExecutor& host, const AgentBundle& bundle,
                                       bool sudo);

struct HostAgentRequest {
  HostAgentOptions options;
  bool sudo = true;      // the login user is not root
  bool recheck = false;  // --check
  int max_reboots = 3;
};

// Runs the host side until it is done: options written, `kHostLauncher bootstrap
// --on-host` streamed (each line but the results handed to `relay`), the host waited for
// after a reboot and the host side run again, a new session opened when a step asked for one.
Result<std::vector<BootstrapStepResult>> run_host_agent(
    BootstrapDeps& deps, const BootstrapSettings& settings, const HostAgentRequest& request,
    const std::function<void(std::string_view)>& relay);

}  // namespace deepdock::app
