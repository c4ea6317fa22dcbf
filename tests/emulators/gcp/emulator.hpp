#pragma once
// The emulator: one loopback HTTP server with the Compute, OAuth and metadata routes, the
// bearer-token check and injected faults in front of them, the request log behind, and a
// ticker that moves operations on (and realizes instances) in the background.

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cloudbuild_state.hpp"
#include "compute_state.hpp"
#include "faults.hpp"
#include "oauth.hpp"
#include "request_log.hpp"
#include "scenario.hpp"
#include "storage_state.hpp"

namespace deepdock::gcpemu {

struct EmulatorOptions {
  std::filesystem::path log_file;
  std::string realize_command;
  std::string unrealize_command;
  std::filesystem::path work_dir;  // instance directories (startup scripts, serial files)
  std::string build_command;       // runs Cloud Build builds (cloudbuild_state.hpp)
  CloudBuildScenario cloud_build;  // the scenario's cloud_build: key
};

class Emulator {
 public:
  Emulator(Scenario scenario, const EmulatorOptions& options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;
  Emulator(Emulator&&) = delete;
  Emulator& operator=(Emulator&&) = delete;

  // Binds 127.0.0.1:port (0: any free port); returns the port, or -1.
  int bind(int port);
  // Serves until stop(); returns false when serving failed.
  bool serve();
  void stop();

 private:
  httplib::Server::HandlerResponse screen(const httplib::Request& req, httplib::Response& res);
  void tick();

  Scenario scenario_;
  TokenStore tokens_;
  Faults faults_;
  RequestLog log_;
  ComputeState state_;
  StorageState storage_;
  CloudBuildState builds_;
  httplib::Server server_;
  std::atomic<bool> stopping_{false};
  std::thread ticker_;
  std::mutex jobs_mutex_;
  std::vector<std::thread> jobs_;
};

}  // namespace deepdock::gcpemu
