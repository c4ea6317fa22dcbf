#pragma once
// Helpers for the Cloud Build and Cloud Storage client tests: a token source that hands out
// fixed tokens, a back-off sleep that records its delays, Google error bodies, and the
// client wired to a FakeTransport.

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/gcp/cloud_build_client.hpp"
#include "adapters/gcp/service_call.hpp"
#include "adapters/gcp/storage_client.hpp"
#include "fakes/fake_transport.hpp"

namespace deepdock::adapters::gcp::test {

// Hands out "token-1", "token-2", ... one per call.
class CountingTokens final : public core::AccessTokenSource {
 public:
  Result<core::AccessToken> token() override {
    ++calls;
    return core::AccessToken{"token-" + std::to_string(calls),
                             std::chrono::system_clock::now() + std::chrono::hours(1), "a test"};
  }
  [[nodiscard]] std::string describe() const override { return "the test account"; }
  size_t calls = 0;
};

// Records the back-off delays instead of sleeping.
struct RecordedSleeps {
  std::vector<std::chrono::milliseconds> delays;
  BackoffSleep sleep() {
    return [this](std::chrono::milliseconds delay) {
      delays.push_back(delay);
      return true;
    };
  }
};

inline RetrySchedule quick_schedule(int attempts = 4) {
  RetrySchedule schedule;
  schedule.max_attempts = attempts;
  schedule.base_delay = std::chrono::milliseconds(100);
  schedule.max_delay = std::chrono::milliseconds(800);
  return schedule;
}

// {"error":{"code":N,"message":M,"status":S}} with, when given, a google.rpc.ErrorInfo reason.
inline std::string google_status_error(int code, const std::string& status,
                                       const std::string& message,
                                       const std::string& info_reason = {}) {
  nlohmann::json error = {{"code", code}, {"message", message}, {"status", status}};
  if (!info_reason.empty()) {
    error["details"] = {{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                         {"reason", info_reason},
                         {"domain", "googleapis.com"}}};
  }
  return nlohmann::json{{"error", error}}.dump();
}

// A transport that forwards to a FakeTransport the test keeps.
class ForwardingTransport final : public core::HttpTransport {
 public:
  explicit ForwardingTransport(testing::FakeTransport& target) : target_(target) {}
  Result<core::HttpResponse> send(const core::HttpRequest& request) override {
    return target_.send(request);
  }
  Result<std::unique_ptr<core::RawStream>> open_upgraded(
      const core::HttpRequest& request) override {
    return target_.open_upgraded(request);
  }
  [[nodiscard]] std::string endpoint() const override { return "https://fake.googleapis.com"; }

 private:
  testing::FakeTransport& target_;
};

inline std::unique_ptr<ServiceCaller> caller_for(testing::FakeTransport& transport,
                                                 core::AccessTokenSource& tokens, ServiceInfo info,
                                                 RecordedSleeps& sleeps, int attempts = 4,
                                                 std::string root = {}) {
  return std::make_unique<ServiceCaller>(std::make_unique<ForwardingTransport>(transport),
                                         std::move(root), tokens, std::move(info), "",
                                         sleeps.sleep(), quick_schedule(attempts));
}

}  // namespace deepdock::adapters::gcp::test
