#pragma once
// DockerEngine: the Docker Engine API client behind core::ContainerEngine. It speaks to
// Docker 20.10+ (API 1.41-1.47) and podman's compat API through one HttpTransport.
//
// The API version is negotiated on first use and cached; every later request is prefixed
// with it ("/v1.41/..."). Failures are mapped to Errors in engine_errors.cpp, request and
// response JSON lives in container_json.cpp and engine_json.cpp; the operations are split
// over docker_engine.cpp (connection, containers), docker_engine_images.cpp and
// docker_engine_io.cpp (logs, exec, archives).

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/docker/registry_auth.hpp"
#include "core/model/api_version.hpp"
#include "core/ports/container_engine.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::docker {

struct DockerEngineOptions {
  std::filesystem::path docker_config_dir;     // for registry auth (config.json)
  std::optional<core::ApiVersion> pinned_api;  // DOCKER_API_VERSION
  std::string endpoint_display;                // "unix:///var/run/docker.sock"; for messages
};

class DockerEngine final : public core::ContainerEngine {
 public:
  DockerEngine(std::unique_ptr<core::HttpTransport> transport, DockerEngineOptions options);

  static constexpr core::ApiVersion kMinApi{1, 41};  // Docker 20.10
  static constexpr core::ApiVersion kMaxApi{1, 47};  // Docker 27.5

  Result<core::EngineInfo> info() override;
  [[nodiscard]] std::string endpoint() const override { return options_.endpoint_display; }

  Result<core::ImageInfo> inspect_image(std::string_view ref) override;
  Status pull_image(const core::ImageRef& ref, const core::ProgressFn& progress) override;
  Result<std::string> build_image(const core::BuildRequest& request,
                                  const core::ProgressFn& progress) override;
  Status tag_image(std::string_view source, const core::ImageRef& target) override;
  Status push_image(const core::ImageRef& ref, const core::ProgressFn& progress) override;
  Status remove_image(std::string_view ref, bool force) override;
  Result<std::string> import_image(const core::ImportRequest& request,
                                   const core::ProgressFn& progress) override;
  Result<std::vector<core::ImageInfo>> list_images(const std::vector<std::string>& labels) override;
  Result<core::SavedImage> save_image(std::string_view ref,
                                      const std::set<std::string>& omit_layers,
                                      const std::filesystem::path& path) override;
  Status load_image(const std::filesystem::path& archive,
                    const core::ProgressFn& progress) override;
  Result<bool> network_exists(std::string_view name) override;

  Result<std::string> create_container(const core::ContainerSpec& spec) override;
  Status start_container(std::string_view id) override;
  Result<core::ContainerInfo> inspect_container(std::string_view id) override;
  Result<std::vector<core::ContainerSummary>> list_containers(
      const std::vector<std::string>& labels, bool include_stopped) override;
  Result<int64_t> wait_container(std::string_view id) override;
  Status container_logs(std::string_view id, const core::LogOptions& options,
                        const core::OutputFn& output) override;
  Result<core::ExecResult> exec(std::string_view id, const core::ExecSpec& spec,
                                const core::OutputFn& output) override;
  Result<int64_t> exec_attached(std::string_view id, const core::AttachedExecSpec& spec) override;
  Status copy_to_container(std::string_view id, const std::filesystem::path& host_path,
                           std::string_view container_dir) override;
  Status put_file(std::string_view id, std::string_view container_path, std::string_view content,
                  uint32_t mode) override;
  Status copy_from_container(std::string_view id, std::string_view container_path,
                             const std::filesystem::path& host_dir) override;
  Status stop_container(std::string_view id, int timeout_seconds) override;
  Status remove_container(std::string_view id, bool force, bool remove_volumes) override;

 private:
  // What negotiation learned; fixed for the life of the engine object.
  struct Connection {
    core::ApiVersion api;
    core::ApiVersion server_api;
    bool is_podman = false;
  };

  // Negotiates on first use; later calls return the cached result. `action` names what
  // the caller was doing, for the message when the engine cannot be reached.
  Result<Connection> connection(std::string_view action);
  Result<core::HttpResponse> ping(std::string_view action);
  // Sends `request` with its target prefixed by the API version. Transport failures are
  // mapped; any HTTP status is returned as a response.
  Result<core::HttpResponse> send(core::HttpRequest request, std::string_view action);
  // send(), then an Error for any status outside 2xx (and `also_ok`, e.g. 304).
  Result<core::HttpResponse> call(core::HttpRequest request, std::string_view action,
                                  int also_ok = 0);
  // A streamed pull/push/build: progress through JsonStreamDecoder, both the HTTP status
  // and in-stream errors checked. Returns the decoder's image id (build), if any.
  Result<std::string> call_progress_stream(core::HttpRequest request, std::string_view action,
                                           const core::ProgressFn& progress);
  Status put_archive(std::string_view id, std::string_view container_dir, std::string tar,
                     std::string_view action);
  Result<std::string> registry_auth_header(const core::ImageRef& ref) const;
  Result<std::string> registry_config_header(const core::BuildRequest& request) const;
  Result<bool> container_tty(std::string_view id);
  Result<int64_t> exec_exit_code(const std::string& exec_id, std::string_view action);

  std::unique_ptr<core::HttpTransport> transport_;
  DockerEngineOptions options_;
  RegistryAuth auth_;
  std::mutex connection_mutex_;           // a `logs -f` stream may run beside other calls
  std::optional<Connection> connection_;  // guarded by connection_mutex_
};

}  // namespace deepdock::adapters::docker
