#pragma once
// Every request the emulator answered (method, path, query, status, JSON body), appended as
// a JSON line to the --log file and kept for GET /emulator/requests, so tests can assert on
// what a client sent.

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

namespace deepdock::gcpemu {

class RequestLog {
 public:
  explicit RequestLog(const std::filesystem::path& file);

  void record(const httplib::Request& req, const httplib::Response& res);
  [[nodiscard]] nlohmann::json entries();
  void clear();

 private:
  std::mutex mutex_;
  std::ofstream file_;
  std::vector<nlohmann::json> entries_;
};

}  // namespace deepdock::gcpemu
