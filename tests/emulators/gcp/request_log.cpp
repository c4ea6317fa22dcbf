#include "request_log.hpp"

#include <chrono>

namespace deepdock::gcpemu {

RequestLog::RequestLog(const std::filesystem::path& file) {
  if (!file.empty()) {
    file_.open(file, std::ios::app);
  }
}

void RequestLog::record(const httplib::Request& req, const httplib::Response& res) {
  if (req.path.rfind("/emulator/", 0) == 0) {
    return;  // the tests' own look at the log is not part of it
  }
  const auto query_start = req.target.find('?');
  nlohmann::json entry = {
      {"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()},
      {"method", req.method},
      {"path", req.path},
      {"query", query_start == std::string::npos ? "" : req.target.substr(query_start + 1)},
      {"status", res.status}};
  // Request bodies are kept when they are JSON; /token's form (assertions, refresh tokens)
  // is a secret and never is.
  if (!req.body.empty() && req.path != "/token") {
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_discarded()) {
      entry["body"] = std::move(body);
    }
  }
  std::lock_guard lock(mutex_);
  if (file_.is_open()) {
    file_ << entry.dump() << '\n' << std::flush;
  }
  entries_.push_back(std::move(entry));
}

nlohmann::json RequestLog::entries() {
  std::lock_guard lock(mutex_);
  return entries_;
}

void RequestLog::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

}  // namespace deepdock::gcpemu
