#pragma once
// The Google Cloud emulator (tests/emulators/gcp) as the end-to-end tests run it: a process
// of its own on a loopback port, its created instances realized as the SSH test host, and
// what deepdock needs to find it as it finds Google: a gcloud configuration whose
// api_endpoint_overrides/compute points at it, and Application Default Credentials (a
// user's refresh token) exchanged at its token endpoint.

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {

class GcpEmulator {
 public:
  // `scenario` names a file of tests/emulators/gcp/scenarios; `extra` are further flags.
  GcpEmulator(const fs::path& dir, const std::string& scenario,
              const std::vector<std::string>& extra = {})
      : dir_(dir) {
    fs::create_directories(dir_ / "work");
    std::vector<std::string> args = {
        DEEPDOCK_GCP_EMULATOR,
        "--scenario",
        (fs::path(DEEPDOCK_GCP_SCENARIOS) / scenario).string(),
        "--port-file",
        (dir_ / "port").string(),
        "--log",
        log_file().string(),
        "--work-dir",
        (dir_ / "work").string(),
        "--realize-command",
        (fs::path(DEEPDOCK_SOURCE_DIR) / "tests/emulators/gcp/realize-sshhost.sh").string(),
        "--unrealize-command",
        (fs::path(DEEPDOCK_SOURCE_DIR) / "tests/emulators/gcp/realize-sshhost.sh").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& arg : args) {
        argv.push_back(arg.data());
      }
      argv.push_back(nullptr);
      const int err = ::open((dir_ / "emulator.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, 1);
      ::dup2(err, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::ifstream in(dir_ / "port"); in >> port_) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    write_gcloud_config();
  }
  ~GcpEmulator() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  GcpEmulator(const GcpEmulator&) = delete;
  GcpEmulator& operator=(const GcpEmulator&) = delete;

  [[nodiscard]] bool started() const { return port_ > 0; }
  [[nodiscard]] std::string url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  [[nodiscard]] fs::path log_file() const { return dir_ / "requests.jsonl"; }
  [[nodiscard]] std::string stderr_text() const { return read_file(dir_ / "emulator.err"); }

  // The environment deepdock runs with to use the emulator as Google Cloud.
  [[nodiscard]] std::vector<std::string> env() const {
    return {"CLOUDSDK_CONFIG=" + (dir_ / "gcloud").string(),
            "GOOGLE_APPLICATION_CREDENTIALS=" + (dir_ / "adc.json").string(),
            "DEEPDOCK_GCP_OAUTH_ENDPOINT=" + url() + "/token", "NO_GCE_CHECK=True"};
  }

  // Every request the emulator logged, oldest first.
  [[nodiscard]] std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(log_file());
    for (std::string line; std::getline(in, line);) {
      auto entry = nlohmann::json::parse(line, nullptr, false);
      if (!entry.is_discarded()) {
        out.push_back(std::move(entry));
      }
    }
    return out;
  }

  // The project's instances, by name, as the emulator holds them (its aggregated list).
  [[nodiscard]] std::vector<std::string> instance_names() const {
    const std::string body =
        shell_output(fmt::format("curl -s -H 'Authorization: Bearer test-token' "
                                 "{}/compute/v1/projects/deepdock-test/aggregated/instances",
                                 url()));
    std::vector<std::string> names;
    const auto list = nlohmann::json::parse(body, nullptr, false);
    if (list.is_discarded() || !list.contains("items")) {
      return names;
    }
    for (const auto& [scope, entry] : list["items"].items()) {
      for (const auto& instance : entry.value("instances", nlohmann::json::array())) {
        names.push_back(instance.value("name", ""));
      }
    }
    return names;
  }

 private:
  void write_gcloud_config() const {
    fs::create_directories(dir_ / "gcloud" / "configurations");
    write_file(dir_ / "gcloud" / "active_config", "default");
    write_file(dir_ / "gcloud" / "configurations" / "config_default",
               fmt::format("[core]\nproject = deepdock-test\n[compute]\nregion = us-west1\n"
                           "[api_endpoint_overrides]\ncompute = {0}/compute/v1/\n"
                           "cloudbuild = {0}/\nstorage = {0}/storage/v1/\n",
                           url()));
    write_file(dir_ / "adc.json",
               R"({"type": "authorized_user", "client_id": "e2e.apps.googleusercontent.com",
                   "client_secret": "e2e-secret", "refresh_token": "e2e-refresh-token"})");
  }

  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// What a test of `up` on Google Cloud runs in: the SSH test host ready for an engine, the
// emulator with its VMs realized as that host, and deepdock run with both on the spec at
// `spec`. When the test ends the environment goes: its containers and images first (a real
// VM's disk goes with it, the shared SSH test host stays), then the VM, then the SSH master.
class GcpTestbed {
 public:
  GcpTestbed(const fs::path& dir, std::string config, fs::path spec,
             const std::vector<std::string>& emulator_flags = {})
      : dir_(dir),
        config_(std::move(config)),
        spec_(std::move(spec)),
        session_(dir, config_),
        emulator_(dir / "emulator", "e2e-up.yaml", emulator_flags) {
    std::string said;
    if (session_.write_engine_settings(&said) != 0) {
      problem_ = "cannot write the SSH test host's engine settings: " + said;
    } else if (!emulator_.started()) {
      problem_ = "the emulator did not start: " + emulator_.stderr_text();
    }
    env_ = session_.env();
    const std::vector<std::string> cloud = emulator_.env();
    env_.insert(env_.end(), cloud.begin(), cloud.end());
    env_.emplace_back("USER=root");  // Google's images refuse root: deepdock logs in as "deepdock"
  }
  ~GcpTestbed() {
    (void)deepdock({"down", "--images"});
    (void)deepdock({"down", "--delete"});
    shell_output(fmt::format("ssh -F {} -o ControlPath={}/%C -O exit deepdock@127.0.0.1 2>&1",
                             util::shell_quote(config_),
                             util::shell_quote((dir_ / "state" / "ssh").string())));
  }
  GcpTestbed(const GcpTestbed&) = delete;
  GcpTestbed& operator=(const GcpTestbed&) = delete;

  // "" when everything started, else what did not.
  [[nodiscard]] const std::string& problem() const { return problem_; }
  [[nodiscard]] const GcpEmulator& emulator() const { return emulator_; }
  [[nodiscard]] const std::string& config() const { return config_; }

  // deepdock -f <spec> ARGS with the test's environment.
  [[nodiscard]] BinaryRun deepdock(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-f", spec_.string()});
    return testing::run_deepdock(args, env_);
  }

 private:
  fs::path dir_;
  std::string config_;
  fs::path spec_;
  SshHostSession session_;
  GcpEmulator emulator_;
  std::string problem_;
  std::vector<std::string> env_;
};

}  // namespace deepdock::e2e
