#pragma once
// Shared by the Compute Engine client's emulator tests: the scenario's token (after refused
// ones, if asked), an instance to create, and a ComputeClient over CurlTransport to a fresh
// deepdock-gcp-emulator whose back-off sleeps are recorded instead of slept.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/gcp/compute_client.hpp"
#include "adapters/http/curl_transport.hpp"
#include "emulators/gcp/emulator_process.hpp"

namespace deepdock::adapters::gcp::compute_emulator_test {

using Json = nlohmann::json;
using testing::EmulatorProcess;

inline constexpr const char* kProject = "deepdock-test";

// The scenario's token, after `stale` ones (refused by the emulator) if any.
class ScenarioTokens final : public core::AccessTokenSource {
 public:
  explicit ScenarioTokens(int stale = 0) : stale_(stale) {}
  Result<core::AccessToken> token() override {
    const bool stale = calls++ < stale_;
    return core::AccessToken{stale ? "stale-token" : "test-token",
                             std::chrono::system_clock::now() + std::chrono::hours(1), "a test"};
  }
  [[nodiscard]] std::string describe() const override { return "the scenario's token"; }
  int calls = 0;

 private:
  int stale_;
};

inline core::CloudInstanceSpec instance_spec(const std::string& name, const std::string& zone,
                                             const std::string& accelerator = "nvidia-tesla-t4") {
  core::CloudInstanceSpec spec;
  spec.name = name;
  spec.zone = zone;
  spec.machine_type = accelerator.empty() ? "n1-standard-1" : "n1-standard-4";
  spec.accelerator = accelerator;
  spec.accelerator_count = accelerator.empty() ? 0 : 1;
  spec.source_image = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts";
  spec.disk_gb = 50;
  spec.tags = {"deepdock"};
  spec.labels = {{"deepdock-managed", "true"}, {"deepdock-env", "bert"}};
  spec.metadata = {{"startup-script", "#!/bin/sh\necho hello\n"}};
  return spec;
}

class ComputeClientEmulatorTest : public ::testing::Test {
 protected:
  void start(const std::string& scenario, int stale_tokens = 0) {
    client_.reset();  // its kept-alive connection would hold the old emulator's exit up
    emulator_ =
        std::make_unique<EmulatorProcess>(std::string(DEEPDOCK_GCP_SCENARIOS) + "/" + scenario);
    ASSERT_TRUE(emulator_->started()) << "deepdock-gcp-emulator did not start with " << scenario;
    tokens_ = std::make_unique<ScenarioTokens>(stale_tokens);
    http::TransportConfig config;
    config.base_url = emulator_->url();
    ComputeClientOptions options;
    options.sleep = [this](std::chrono::milliseconds delay) {
      sleeps_.push_back(delay);
      return true;
    };
    client_ = std::make_unique<ComputeClient>(std::make_unique<http::CurlTransport>(config),
                                              *tokens_, std::move(options));
  }

  // Waits (zoneOperations.wait, again until DONE) for `operation`.
  core::CloudOperation wait(const core::CloudOperation& operation) {
    core::CloudOperation current = operation;
    for (int i = 0; i < 10 && !current.done(); ++i) {
      auto next = client_->wait_operation(kProject, current.zone, current.name);
      EXPECT_TRUE(next) << next.error().message;
      if (!next) {
        break;
      }
      current = *next;
    }
    EXPECT_TRUE(current.done()) << current.name;
    return current;
  }

  // The emulator's log entries whose path ends with `suffix`, and that had `method`.
  [[nodiscard]] std::vector<Json> logged(const std::string& method,
                                         const std::string& suffix) const {
    std::vector<Json> found;
    for (const Json& entry : emulator_->requests()) {
      if (entry["method"] == method && entry["path"].get<std::string>().ends_with(suffix)) {
        found.push_back(entry);
      }
    }
    return found;
  }

  std::unique_ptr<EmulatorProcess> emulator_;
  std::unique_ptr<ScenarioTokens> tokens_;
  std::vector<std::chrono::milliseconds> sleeps_;
  std::unique_ptr<ComputeClient> client_;
};

}  // namespace deepdock::adapters::gcp::compute_emulator_test
