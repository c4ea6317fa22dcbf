#pragma once
// Shared set-up for the DockerEngine unit tests: an engine over a FakeTransport that
// answers /_ping like a Docker 20.10 engine, and helpers to build stream bodies.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>

#include "adapters/docker/docker_engine.hpp"
#include "fakes/fake_transport.hpp"

namespace deepdock::adapters::docker::test {

using core::HttpMethod;
using testing::FakeTransport;
using testing::reply;
using testing::reply_chunks;

// A DockerEngine whose transport the test scripts. `api` is what /_ping reports.
struct EngineFixture {
  FakeTransport* transport = nullptr;  // owned by engine
  std::unique_ptr<DockerEngine> engine;

  explicit EngineFixture(std::string api = "1.41", bool podman = false,
                         DockerEngineOptions options = {}) {
    auto fake = std::make_unique<FakeTransport>();
    transport = fake.get();
    std::vector<core::HttpHeader> headers = {{"Api-Version", std::move(api)}};
    if (podman) {
      headers.push_back({"Libpod-Api-Version", "5.4.0"});
    }
    transport->on(HttpMethod::kHead, "/_ping", reply(200, {}, headers));
    if (options.endpoint_display.empty()) {
      options.endpoint_display = "unix:///fake/docker.sock";
    }
    if (options.docker_config_dir.empty()) {
      options.docker_config_dir = "/nonexistent/deepdock-test-docker-config";
    }
    engine = std::make_unique<DockerEngine>(std::move(fake), std::move(options));
  }

  DockerEngine& operator*() { return *engine; }
  DockerEngine* operator->() { return engine.get(); }
};

// One frame of the engine's multiplexed stream.
inline std::string frame(unsigned char stream, std::string_view payload) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  const auto size = static_cast<uint32_t>(payload.size());
  out[4] = static_cast<char>((size >> 24U) & 0xFFU);
  out[5] = static_cast<char>((size >> 16U) & 0xFFU);
  out[6] = static_cast<char>((size >> 8U) & 0xFFU);
  out[7] = static_cast<char>(size & 0xFFU);
  out.append(payload);
  return out;
}

inline nlohmann::json body_json(const testing::RecordedRequest& request) {
  return nlohmann::json::parse(request.body);
}

// A fresh directory under the temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("deepdock-engine-test-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace deepdock::adapters::docker::test
