#pragma once
// End-to-end tests drive the built deepdock binary against the real test engine
// (DOCKER_HOST from scripts/test-components.sh). Each test works in a directory of its
// own, with its own state directory, environment names and loopback ports, so tests run
// beside each other; the engine's layer cache is shared on purpose.

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/components.hpp"
#include "support/free_port.hpp"
#include "support/run_binary.hpp"
#include "util/shell_quote.hpp"

namespace deepdock::e2e {

namespace fs = std::filesystem;
using testing::BinaryRun;

inline std::string unique_suffix() {
  std::random_device random;
  return fmt::format("{:x}{:04x}", ::getpid(), random() & 0xffffU);
}

// A directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "deepdock-e2e-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? fs::path(pattern) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline uint16_t free_port(uint16_t avoid = 0) {
  return testing::free_loopback_port(avoid);
}

// Output of a shell command (the docker CLI for facts the test checks independently).
inline std::string shell_output(const std::string& command, int* exit_code = nullptr) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return out;
  }
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  if (exit_code != nullptr) {
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return out;
}

inline std::string docker(const std::string& args) {
  std::string out = shell_output("docker " + args);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

inline nlohmann::json parse_json(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, false);
}

// deepdock running in the background, for tests that interrupt it.
class Spawned {
 public:
  Spawned(const std::vector<std::string>& args, const std::vector<std::string>& env,
          const fs::path& out_dir)
      : stdout_path_(out_dir / fmt::format("spawn-{}.out", counter()++)),
        stderr_path_(stdout_path_.string() + ".err") {
    std::vector<std::string> argv = {"env"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.emplace_back(DEEPDOCK_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(stdout_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(err, 2);
      std::vector<char*> raw;
      for (auto& arg : argv) {
        raw.push_back(arg.data());
      }
      raw.push_back(nullptr);
      ::execvp("env", raw.data());
      ::_exit(127);
    }
  }
  ~Spawned() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  void signal(int sig) const { ::kill(pid_, sig); }
  // The exit code (128 + signal when killed).
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  [[nodiscard]] std::string err() const { return read_file(stderr_path_); }
  [[nodiscard]] std::string out() const { return read_file(stdout_path_); }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  fs::path stdout_path_;
  fs::path stderr_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// The engine and where the tests keep their things; skips (fails under CI) without one.
struct E2eEnv {
  std::string docker_host;
  std::vector<std::string> env;  // for run_deepdock: DOCKER_HOST, the state directory
};

inline E2eEnv e2e_env(const fs::path& state_dir, const std::string& docker_host) {
  return {docker_host,
          {"DOCKER_HOST=" + docker_host, "DEEPDOCK_STATE_DIR=" + state_dir.string(), "NO_COLOR=1"}};
}

// Takes an environment down with its images when the test ends, passed or failed (the
// engine's data root outlives the run). Images another tag holds stay.
class EnvironmentCleanup {
 public:
  EnvironmentCleanup(std::vector<std::string> env, std::string name)
      : env_(std::move(env)), name_(std::move(name)) {}
  ~EnvironmentCleanup() { testing::run_deepdock({"down", "--images", "-n", name_}, env_); }
  EnvironmentCleanup(const EnvironmentCleanup&) = delete;
  EnvironmentCleanup& operator=(const EnvironmentCleanup&) = delete;

 private:
  std::vector<std::string> env_;
  std::string name_;
};

// Closes the SSH master connection (and its tunnels) that deepdock left for a test's state
// directory, when the test ends.
class SshMasterCleanup {
 public:
  SshMasterCleanup(std::string config, fs::path control_dir)
      : config_(std::move(config)), control_dir_(std::move(control_dir)) {}
  ~SshMasterCleanup() {
    shell_output(fmt::format("ssh -F {} -o ControlPath={}/%C -O exit whale@127.0.0.1 2>&1",
                             util::shell_quote(config_), util::shell_quote(control_dir_.string())));
  }
  SshMasterCleanup(const SshMasterCleanup&) = delete;
  SshMasterCleanup& operator=(const SshMasterCleanup&) = delete;

 private:
  std::string config_;
  fs::path control_dir_;
};

// Runs a shell command on the SSH test host as its user (whale); output and status.
inline std::string on_ssh_host(const std::string& config, const std::string& command,
                               int* exit_code = nullptr) {
  return shell_output(fmt::format("ssh -F {} -o BatchMode=yes -o StrictHostKeyChecking=accept-new "
                                  "whale@127.0.0.1 {} 2>&1",
                                  util::shell_quote(config), util::shell_quote(command)),
                      exit_code);
}

// What a test against the SSH test host runs deepdock with: its own state directory (and so
// its own SSH connection, closed when the test ends) and the host's ssh config. The host's
// engine settings are written first: it runs in a container, so no bridge and no iptables.
class SshHostSession {
 public:
  SshHostSession(const fs::path& dir, std::string config)
      : config_(std::move(config)),
        master_(config_, dir / "state" / "ssh"),
        env_{"DEEPDOCK_STATE_DIR=" + (dir / "state").string(), "DEEPDOCK_SSH_CONFIG=" + config_,
             "NO_COLOR=1"} {}
  // Writes /etc/docker/daemon.json on the host; the exit status of doing so.
  [[nodiscard]] int write_engine_settings(std::string* output) const {
    int code = -1;
    *output = on_ssh_host(config_,
                          "sudo mkdir -p /etc/docker && echo '{\"bridge\": \"none\", "
                          "\"iptables\": false, \"ip6tables\": false}' | sudo tee "
                          "/etc/docker/daemon.json >/dev/null",
                          &code);
    return code;
  }
  [[nodiscard]] const std::vector<std::string>& env() const { return env_; }
  [[nodiscard]] const std::string& config() const { return config_; }

 private:
  std::string config_;
  SshMasterCleanup master_;
  std::vector<std::string> env_;
};

// Where tests leave files worth keeping (screenshots): <build>/test-outputs.
inline fs::path test_outputs_dir() {
  const fs::path dir = fs::path(DEEPDOCK_TEST_OUTPUT_DIR);
  fs::create_directories(dir);
  return dir;
}

}  // namespace deepdock::e2e
