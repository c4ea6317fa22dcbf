#pragma once
// Helpers for the DockerEngine integration tests: an engine for DOCKER_HOST over the real
// libcurl transport, per-run names, and a guard that removes what a test created.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/endpoint.hpp"
#include "adapters/http/curl_transport.hpp"
#include "support/components.hpp"

namespace deepdock::adapters::docker::integration {

using core::ContainerEngine;

// A name no other run uses: tests may run concurrently against one engine.
inline std::string run_id() {
  static const std::string id = [] {
    std::random_device random;
    return std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000U);
  }();
  return id;
}

// Reports a missing component: a failure under CI, a skip with the reason elsewhere.
#define DEEPDOCK_REQUIRE_OK(result, what)                                           \
  if (!(result)) {                                                                  \
    const std::string reason = std::string(what) + ": " + (result).error().message; \
    if (::deepdock::testing::running_in_ci()) {                                     \
      FAIL() << reason;                                                             \
    }                                                                               \
    GTEST_SKIP() << reason;                                                         \
  }

inline Result<std::unique_ptr<DockerEngine>> engine_for(const std::string& docker_host) {
  TRY_ASSIGN(const EngineEndpoint endpoint, parse_docker_host(docker_host, "DOCKER_HOST"));
  http::TransportConfig transport;
  if (endpoint.kind == EngineEndpoint::Kind::kUnix) {
    transport.unix_socket = endpoint.unix_path;
  } else if (endpoint.kind == EngineEndpoint::Kind::kTcp) {
    transport.base_url = endpoint.url;
  } else {
    return fail(ErrorCode::kInvalidInput, "the tests need a unix:// or tcp:// DOCKER_HOST");
  }
  DockerEngineOptions options;
  options.endpoint_display = endpoint.display();
  options.docker_config_dir = std::filesystem::temp_directory_path() / "deepdock-it-no-config";
  return std::make_unique<DockerEngine>(std::make_unique<http::CurlTransport>(std::move(transport)),
                                        std::move(options));
}

// Removes what a test created, in reverse order, whatever happened.
class Cleanup {
 public:
  explicit Cleanup(ContainerEngine& engine) : engine_(engine) {}
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;
  ~Cleanup() {
    for (const auto& id : containers_) {
      (void)engine_.remove_container(id, /*force=*/true, /*remove_volumes=*/true);
    }
    for (const auto& ref : images_) {
      (void)engine_.remove_image(ref, /*force=*/true);
    }
    std::error_code ignored;
    for (const auto& dir : dirs_) {
      std::filesystem::remove_all(dir, ignored);
    }
  }
  void container(std::string id) { containers_.push_back(std::move(id)); }
  void image(std::string ref) { images_.push_back(std::move(ref)); }
  std::filesystem::path temp_dir(std::string_view name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("deepdock-it-" + run_id() + "-" + std::string(name));
    std::filesystem::create_directories(dir);
    dirs_.push_back(dir);
    return dir;
  }

 private:
  ContainerEngine& engine_;
  std::vector<std::string> containers_;
  std::vector<std::string> images_;
  std::vector<std::filesystem::path> dirs_;
};

// The error code of a failed result; nullopt when it succeeded.
template <typename T>
std::optional<ErrorCode> code_of(const Result<T>& result) {
  return result ? std::nullopt : std::optional<ErrorCode>(result.error().code);
}

inline void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A container of `image` that sleeps until removed, named "<prefix>-<run id>", with the
// run's labels and no network (the test engine has no bridge).
inline core::ContainerSpec idle_container(const std::string& image, const std::string& prefix) {
  core::ContainerSpec spec;
  spec.name = prefix + "-" + run_id();
  spec.image = image;
  spec.cmd = {"sleep", "infinity"};
  spec.labels = {{"deepdock.managed", "true"}, {"deepdock.test-run", run_id()}};
  spec.network_mode = "none";
  spec.init = true;  // signals reach sleep, so stop is quick
  return spec;
}

// A test against the engine at DOCKER_HOST with the base image DEEPDOCK_TEST_BASE_IMAGE in
// it: engine_, base_image_ and base_ (its inspect) are set before each test.
class BaseImageEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
    DEEPDOCK_REQUIRE_COMPONENT(base_image, "DEEPDOCK_TEST_BASE_IMAGE");
    auto engine = engine_for(docker_host);
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(*engine);
    base_image_ = base_image;
    const auto base = engine_->inspect_image(base_image_);
    DEEPDOCK_REQUIRE_OK(base, "the base image " + base_image_ + " is missing at " + docker_host +
                                  " (scripts/test-components.sh start image)");
    base_ = *base;
  }

  std::unique_ptr<DockerEngine> engine_;
  std::string base_image_;
  core::ImageInfo base_;
};

}  // namespace deepdock::adapters::docker::integration
