#pragma once
// Shared by the Compute Engine client's unit tests: a token source that hands out scripted
// tokens, Google's error and operation bodies, a T4 instance, and a ComputeClient over a
// FakeTransport whose back-off sleeps are recorded instead of slept.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/gcp/compute_client.hpp"
#include "fakes/fake_transport.hpp"

namespace deepdock::adapters::gcp::compute_test {

using core::HttpMethod;
using nlohmann::json;
using testing::FakeTransport;
using testing::reply;
using testing::transport_error;

inline constexpr const char* kProjectPath = "/compute/v1/projects/p";
inline constexpr const char* kRequestId = "4f1c9a52-0c3e-4a8e-9d36-3b2b8f0e6a11";

// Hands out the tokens it is given, one per call (the last one again when they run out).
class FakeTokens final : public core::AccessTokenSource {
 public:
  explicit FakeTokens(std::vector<std::string> values) : values_(std::move(values)) {}
  void hand_out(std::vector<std::string> values) { values_ = std::move(values); }
  Result<core::AccessToken> token() override {
    ++calls;
    if (fails) {
      return fail(ErrorCode::kPrecondition, "no Google Cloud credentials found", "gcloud auth");
    }
    const std::string& value = values_[std::min(calls, values_.size()) - 1];
    return core::AccessToken{value, std::chrono::system_clock::now() + std::chrono::hours(1),
                             "a test"};
  }
  [[nodiscard]] std::string describe() const override { return "the test account"; }

  size_t calls = 0;
  bool fails = false;

 private:
  std::vector<std::string> values_;
};

inline std::string google_error(int code, const std::string& reason, const std::string& message) {
  return json{{"error",
               {{"code", code},
                {"message", message},
                {"errors", {{{"reason", reason}, {"message", message}, {"domain", "global"}}}}}}}
      .dump();
}

inline std::string operation_json(const std::string& name, const std::string& status,
                                  const std::string& type = "insert") {
  return json{{"kind", "compute#operation"},
              {"name", name},
              {"zone", "https://www.googleapis.com/compute/v1/projects/p/zones/us-west1-b"},
              {"operationType", type},
              {"targetLink",
               "https://www.googleapis.com/compute/v1/projects/p/zones/us-west1-b/instances/gpu-1"},
              {"status", status},
              {"progress", status == "DONE" ? 100 : 0}}
      .dump();
}

inline core::CloudInstanceSpec t4_spec() {
  core::CloudInstanceSpec spec;
  spec.name = "gpu-1";
  spec.zone = "us-west1-b";
  spec.machine_type = "n1-standard-4";
  spec.accelerator = "nvidia-tesla-t4";
  spec.accelerator_count = 1;
  spec.source_image = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts";
  spec.labels = {{"deepdock-managed", "true"}};
  return spec;
}

class ComputeClientTest : public ::testing::Test {
 protected:
  ComputeClientTest() {
    auto fake = std::make_unique<FakeTransport>();
    transport_ = fake.get();
    ComputeClientOptions options;
    options.quota_project = "billing-project";
    options.sleep = [this](std::chrono::milliseconds delay) {
      sleeps_.push_back(delay);
      return true;
    };
    client_ = std::make_unique<ComputeClient>(std::move(fake), tokens_, std::move(options));
  }

  static std::string path(const std::string& rest) { return std::string(kProjectPath) + rest; }

  FakeTokens tokens_{{"token-1"}};
  FakeTransport* transport_ = nullptr;  // owned by client_
  std::vector<std::chrono::milliseconds> sleeps_;
  std::unique_ptr<ComputeClient> client_;
};

}  // namespace deepdock::adapters::gcp::compute_test
