#include "core/bootstrap/bootstrap_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/bootstrap/idle_stop_step.hpp"
#include "core/bootstrap/registry_step.hpp"
#include "core/bootstrap/step_commands.hpp"
#include "util/sha256.hpp"
#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::core {
namespace {

using bootstrap_detail::apt_install;
using bootstrap_detail::apt_update;
using bootstrap_detail::check;
using bootstrap_detail::command;

struct Supported {
  const char* os_id;
  const char* version;
};
constexpr Supported kSupported[] = {{"ubuntu", "18.04"}, {"ubuntu", "20.04"}, {"ubuntu", "22.04"},
                                    {"ubuntu", "24.04"}, {"debian", "11"},    {"debian", "12"}};

std::string headers_package(const BootstrapHost& host) {
  return host.kernel.empty() ? std::string("linux-headers-generic")
                             : "linux-headers-" + host.kernel;
}

int branch_number(const std::string& branch) {
  int number = 0;
  std::from_chars(branch.data(), branch.data() + branch.size(), number);
  return number;
}

// Ubuntu's own server driver packages (built for its kernels, signed for Secure Boot where
// Ubuntu ships them); Debian takes NVIDIA's CUDA repository, whose packages carry the branch
// in their name until R590 and select it by pinning after.
std::vector<std::string> driver_packages(const BootstrapHost& host, const std::string& branch) {
  if (host.os_id == "ubuntu") {
    return {"nvidia-headless-" + branch + "-server", "nvidia-utils-" + branch + "-server"};
  }
  return {branch_number(branch) < 590 ? "cuda-drivers-" + branch : std::string("cuda-drivers")};
}

BootstrapStep base_packages() {
  return {.id = "base-packages",
          .title = "install curl, gnupg and the CA certificates",
          .why = "the NVIDIA repositories are fetched over HTTPS and signed with GPG keys",
          .checks = {check({"test", "-x", "/usr/bin/curl"}), check({"test", "-x", "/usr/bin/gpg"})},
          .apply = {apt_update(), apt_install({"ca-certificates", "curl", "gnupg"})}};
}

BootstrapStep docker_engine(const BootstrapHost& host) {
  return {.id = "docker-engine",
          .title = fmt::format("install the Docker engine ({}'s docker.io)",
                               host.os_id == "ubuntu" ? "Ubuntu" : "Debian"),
          .why =
              "the distribution's own engine comes from the mirror the host already uses, "
              "with no third-party key to rotate",
          .checks = {check({"dockerd", "--version"}, "Docker version")},
          .apply = {apt_update(), apt_install({"docker.io"})}};
}

BootstrapStep nvidia_driver(const BootstrapHost& host, const std::string& branch) {
  std::vector<HostCommand> apply;
  std::string source;
  if (host.os_id == "debian") {
    const std::string repo = fmt::format("debian{}", host.os_version);
    const std::string arch = host.arch == "arm64" ? "sbsa" : "x86_64";
    apply.push_back(command({"curl", "-fsSL", "-o", "/tmp/cuda-keyring.deb",
                             fmt::format("https://developer.download.nvidia.com/compute/cuda/"
                                         "repos/{}/{}/cuda-keyring_1.1-1_all.deb",
                                         repo, arch)}));
    apply.push_back(command({"dpkg", "-i", "/tmp/cuda-keyring.deb"}));
    source = "NVIDIA's CUDA repository for " + repo;
  } else {
    source = "Ubuntu's archive";
  }
  apply.push_back(apt_update());
  std::vector<std::string> packages{headers_package(host)};
  const auto driver = driver_packages(host, branch);
  packages.insert(packages.end(), driver.begin(), driver.end());
  apply.push_back(apt_install(packages));
  const std::string gpu = host.gpus.empty() ? std::string("the GPU") : host.gpus.front().name;
  return {.id = "nvidia-driver",
          .title = fmt::format("install the NVIDIA driver R{} from {}", branch, source),
          .why = fmt::format("R{} is the branch the resolver chose for {}; the kernel's headers "
                             "let DKMS build the module for the running kernel",
                             branch, gpu),
          .checks = {check({"dpkg-query", "-W", "-f", "${Status}\\n", driver.front()},
                           "install ok installed")},
          .apply = std::move(apply)};
}

BootstrapStep hold_packages(const BootstrapHost& host, const std::string& branch) {
  std::vector<std::string> argv{"apt-mark", "hold"};
  if (!host.kernel.empty()) {
    argv.push_back("linux-image-" + host.kernel);
  }
  argv.push_back(headers_package(host));
  const auto driver = driver_packages(host, branch);
  argv.insert(argv.end(), driver.begin(), driver.end());
  return {.id = "hold-packages",
          .title = "hold the kernel and the driver at their versions",
          .why =
              "an unattended kernel or driver upgrade leaves the module unbuilt or the "
              "libraries newer than the loaded module (\"Driver/library version mismatch\")",
          .checks = {check({"apt-mark", "showhold"}, driver.front())},
          .apply = {command(std::move(argv))}};
}

BootstrapStep driver_loaded() {
  return {.id = "driver-loaded",
          .title = "load the driver (reboot when it cannot be loaded in place)",
          .why =
              "the module of a fresh install loads only after a reboot when an older one "
              "(or nouveau) holds the GPU",
          .checks = {check({"nvidia-smi", "-L"}, "GPU ")},
          .apply = {command({"reboot"})},
          .reboots = true};
}

BootstrapStep container_toolkit() {
  std::vector<HostCommand> apply = bootstrap_detail::add_apt_repository(
      {.key_url = "https://nvidia.github.io/libnvidia-container/gpgkey",
       .downloaded_key = "/tmp/nvidia-container-toolkit.gpgkey",
       .keyring = "/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg",
       .list_file = "/etc/apt/sources.list.d/nvidia-container-toolkit.list",
       .source = "https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /"});
  apply.push_back(apt_install({"nvidia-container-toolkit"}));
  return {.id = "container-toolkit",
          .title = "install the NVIDIA container toolkit",
          .why =
              "it gives containers the GPUs and the driver's libraries (the nvidia runtime "
              "and CDI)",
          .checks = {check({"test", "-x", "/usr/bin/nvidia-ctk"})},
          .apply = std::move(apply)};
}

BootstrapStep engine_config() {
  return {.id = "engine-config",
          .title = "configure the engine's nvidia runtime and the CDI specification",
          .why =
              "without the runtime the engine answers a GPU request with `could not select "
              "device driver \"\" with capabilities: [[gpu]]`",
          .checks = {check({"grep", "-q", "\"nvidia\"", "/etc/docker/daemon.json"}),
                     check({"test", "-s", "/etc/cdi/nvidia.yaml"})},
          .apply = {command({"nvidia-ctk", "runtime", "configure", "--runtime=docker"}),
                    command({"nvidia-ctk", "cdi", "generate", "--output=/etc/cdi/nvidia.yaml"})}};
}

BootstrapStep engine_running(const BootstrapHost& host, bool gpu) {
  std::vector<HostCommand> apply;
  if (host.systemd) {
    apply.push_back(command({"systemctl", "enable", "docker"}));
    apply.push_back(command({"systemctl", "restart", "docker"}));
  } else {
    // No systemd (a container, WSL): the packaged init script may set limits the host does
    // not allow, so dockerd is restarted directly, in a session of its own.
    apply.push_back(command({"sh", "-c",
                             "pkill -x dockerd; for i in $(seq 30); do pgrep -x dockerd "
                             ">/dev/null || exit 0; sleep 1; done; exit 1"}));
    apply.push_back(
        command({"sh", "-c", "setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &"}));
  }
  apply.push_back(command({"sh", "-c",
                           "for i in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; "
                           "sleep 1; done; echo 'the engine did not answer within 60 s' >&2; "
                           "exit 1"}));
  return {.id = "engine-running",
          .title = gpu ? "restart the engine with the nvidia runtime" : "start the engine",
          .why = host.systemd ? "systemd starts it at every boot"
                              : "this host has no systemd: deepdock starts dockerd itself, "
                                "logging to /var/log/dockerd.log",
          .checks = {gpu ? check({"docker", "info", "--format", "{{json .Runtimes}}"}, "nvidia")
                         : check({"docker", "info", "--format", "{{.ServerVersion}}"})},
          .apply = std::move(apply)};
}

BootstrapStep docker_group(const BootstrapHost& host) {
  return {.id = "docker-group",
          .title = fmt::format("let {} use the engine (the docker group)", host.user),
          .why = "deepdock reaches the engine's socket over SSH as this user",
          .checks = {check({"id", "-nG", host.user}, "docker")},
          .apply = {command({"usermod", "-aG", "docker", host.user})},
          .new_session = true};
}

std::string step_hash(const BootstrapStep& step) {
  std::string text = step.id + "\n";
  for (const BootstrapCheck& c : step.checks) {
    text += "check " + util::shell_join(c.command.argv) + " ~ " + c.stdout_contains + "\n";
  }
  for (const HostCommand& a : step.apply) {
    text += "apply " + util::shell_join(a.argv) + " < " + a.stdin_data + "\n";
  }
  return util::sha256_hex(text).substr(0, 16);
}

}  // namespace

HostCommand write_file_command(const std::string& path, std::string content) {
  return bootstrap_detail::command({"sh", "-c", "cat >\"$1\"", "sh", path}, std::move(content));
}

Status check_bootstrap_os(const BootstrapHost& host) {
  const bool supported = std::any_of(
      std::begin(kSupported), std::end(kSupported),
      [&](const Supported& s) { return host.os_id == s.os_id && host.os_version == s.version; });
  if (supported) {
    return {};
  }
  return fail(ErrorCode::kIncompatible,
              fmt::format("deepdock cannot bootstrap {} {}",
                          host.os_id.empty() ? "this OS" : host.os_id, host.os_version),
              "it bootstraps Ubuntu 18.04, 20.04, 22.04 and 24.04, and Debian 11 and 12; on "
              "another OS install Docker (and the NVIDIA driver and container toolkit) yourself, "
              "then `deepdock up` uses them");
}

Result<std::vector<BootstrapStep>> plan_bootstrap(const BootstrapHost& host,
                                                  const BootstrapOptions& options) {
  TRY(check_bootstrap_os(host));
  const bool gpu = !options.driver_branch.empty();
  std::vector<BootstrapStep> steps;
  if (gpu) {
    steps.push_back(base_packages());
  }
  steps.push_back(docker_engine(host));
  if (gpu) {
    steps.push_back(nvidia_driver(host, options.driver_branch));
    steps.push_back(hold_packages(host, options.driver_branch));
    steps.push_back(driver_loaded());
    steps.push_back(container_toolkit());
    steps.push_back(engine_config());
  }
  steps.push_back(engine_running(host, gpu));
  if (!host.user.empty() && host.user != "root") {
    steps.push_back(docker_group(host));
  }
  for (BootstrapStep& step : registry_credential_steps(host, options.registry)) {
    steps.push_back(std::move(step));
  }
  TRY_ASSIGN(std::optional<BootstrapStep> idle_stop, idle_stop_step(host, options));
  if (idle_stop) {
    steps.push_back(std::move(*idle_stop));
  }
  for (BootstrapStep& step : steps) {
    step.hash = step_hash(step);
  }
  return steps;
}

std::string bootstrap_plan_text(const std::vector<BootstrapStep>& steps) {
  std::string out;
  for (size_t i = 0; i < steps.size(); ++i) {
    const BootstrapStep& step = steps[i];
    out += fmt::format("{}. {}: {}\n   why: {}\n", i + 1, step.id, step.title, step.why);
    for (const BootstrapCheck& c : step.checks) {
      out += fmt::format(
          "   done when: {}{}\n", util::shell_join(c.command.argv),
          c.stdout_contains.empty() ? "" : fmt::format("  (prints '{}')", c.stdout_contains));
    }
    for (const HostCommand& a : step.apply) {
      out += fmt::format("   run: {}\n", util::shell_join(a.argv));
      for (const std::string& line : util::split(util::trim(a.stdin_data), '\n')) {
        if (!line.empty()) {
          out += fmt::format("        < {}\n", line);
        }
      }
    }
    if (step.reboots) {
      out += "   then: wait for the host to come back\n";
    }
    if (step.new_session) {
      out += "   then: open a new SSH session (new groups)\n";
    }
  }
  return out;
}

}  // namespace deepdock::core
