#pragma once
// For tests: deepdock-gcp-emulator run as a child process on a free loopback port, with its
// request log in a private directory, stopped with SIGTERM when destroyed.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "link cpp-httplib through pkg-config (PkgConfig::HTTPLIB): it defines its build flags"
#endif
#include <httplib.h>

namespace deepdock::testing {

class EmulatorProcess {
 public:
  // `extra` are further flags (--realize-command CMD, ...). Check started() after.
  explicit EmulatorProcess(const std::filesystem::path& scenario,
                           const std::vector<std::string>& extra = {}) {
    std::string dir_template =
        (std::filesystem::temp_directory_path() / "deepdock-gcpemu-XXXXXX").string();
    dir_ = ::mkdtemp(dir_template.data()) != nullptr ? dir_template : "";
    std::vector<std::string> args = {
        DEEPDOCK_GCP_EMULATOR,    "--scenario", scenario.string(),   "--port-file",
        (dir_ / "port").string(), "--log",      log_file().string(), "--work-dir",
        (dir_ / "work").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& arg : args) {
        argv.push_back(arg.data());
      }
      argv.push_back(nullptr);
      std::freopen("/dev/null", "w", stdout);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
      if (std::ifstream in(dir_ / "port"); in >> port_) {
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  ~EmulatorProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;
  EmulatorProcess(EmulatorProcess&&) = delete;
  EmulatorProcess& operator=(EmulatorProcess&&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0 && port_ > 0; }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path log_file() const { return dir_ / "requests.jsonl"; }

  // SIGTERM, then the exit status (-1 when it did not exit by itself).
  int stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      pid_ = -1;
    }
    return exit_status_;
  }

  // A client for the emulator, with `token` as its bearer token (none when empty).
  [[nodiscard]] httplib::Client client(const std::string& token = "test-token") const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    if (!token.empty()) {
      client.set_bearer_token_auth(token);
    }
    return client;
  }

  // Empties the request log (DELETE /emulator/requests).
  void clear_requests() const {
    httplib::Client plain("127.0.0.1", port_);
    plain.Delete("/emulator/requests");
  }

  // The request log as GET /emulator/requests answers it.
  [[nodiscard]] nlohmann::json requests() const {
    httplib::Client plain("127.0.0.1", port_);
    const auto res = plain.Get("/emulator/requests");
    return res && res->status == 200 ? nlohmann::json::parse(res->body)["requests"]
                                     : nlohmann::json::array();
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

}  // namespace deepdock::testing
