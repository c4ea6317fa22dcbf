#pragma once
// ContainerEngine: the port through which the app layer drives Docker (or podman's
// Docker-compatible API). The real adapter is adapters/docker; tests use fakes.
//
// Errors follow one convention: a missing object is ErrorCode::kNotFound, a name in use or
// an object in the wrong state is kConflict, an unreachable or too-old engine is
// kPrecondition with the fix in the hint, and GPU failures carry the command that fixes them.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/container.hpp"
#include "core/model/engine_info.hpp"
#include "core/model/image.hpp"
#include "core/model/image_ref.hpp"
#include "util/error.hpp"

namespace deepdock::core {

using ProgressFn = std::function<void(const ProgressEvent&)>;
using OutputFn = std::function<void(StreamKind, std::string_view)>;

class ContainerEngine {
 public:
  virtual ~ContainerEngine() = default;

  // Connects (ping + version negotiation) and describes the engine.
  virtual Result<EngineInfo> info() = 0;
  // Where the engine is ("unix:///var/run/docker.sock", "tcp://10.0.0.5:2376"), without
  // asking it: for messages, and to know whether this machine's 127.0.0.1 is its host.
  [[nodiscard]] virtual std::string endpoint() const = 0;

  // Images.
  virtual Result<ImageInfo> inspect_image(std::string_view ref) = 0;
  virtual Status pull_image(const ImageRef& ref, const ProgressFn& progress) = 0;
  // Builds and returns the image ID ("sha256:...").
  virtual Result<std::string> build_image(const BuildRequest& request,
                                          const ProgressFn& progress) = 0;
  virtual Status tag_image(std::string_view source, const ImageRef& target) = 0;
  virtual Status push_image(const ImageRef& ref, const ProgressFn& progress) = 0;
  virtual Status remove_image(std::string_view ref, bool force) = 0;
  // Imports a root file system as an image; returns the image ID.
  virtual Result<std::string> import_image(const ImportRequest& request,
                                           const ProgressFn& progress) = 0;
  // Images whose labels include every key=value in `labels` ("key" alone matches any value).
  virtual Result<std::vector<ImageInfo>> list_images(const std::vector<std::string>& labels) = 0;
  // Writes `ref` as an image archive (what `docker save` writes) to `path`, leaving out the
  // tars of the layers in `omit_layers` (diff IDs): an engine that holds those layers loads
  // the archive without them.
  virtual Result<SavedImage> save_image(std::string_view ref,
                                        const std::set<std::string>& omit_layers,
                                        const std::filesystem::path& path) = 0;
  // Loads an image archive (what `docker load` does), with the tags it names.
  virtual Status load_image(const std::filesystem::path& archive, const ProgressFn& progress) = 0;

  // Networks: whether one of this name exists (an engine started with --bridge=none has
  // no "bridge").
  virtual Result<bool> network_exists(std::string_view name) = 0;

  // Containers.
  virtual Result<std::string> create_container(const ContainerSpec& spec) = 0;  // returns the ID
  virtual Status start_container(std::string_view id) = 0;
  virtual Result<ContainerInfo> inspect_container(std::string_view id) = 0;
  // Containers whose labels include every key=value in `labels` ("key" alone matches any value).
  virtual Result<std::vector<ContainerSummary>> list_containers(
      const std::vector<std::string>& labels, bool include_stopped) = 0;
  // Blocks until the container stops; returns its exit code.
  virtual Result<int64_t> wait_container(std::string_view id) = 0;
  virtual Status container_logs(std::string_view id, const LogOptions& options,
                                const OutputFn& output) = 0;
  // Runs a command in a running container; stdout and stderr are kept apart. When `output`
  // is set it also receives the streams as they arrive.
  virtual Result<ExecResult> exec(std::string_view id, const ExecSpec& spec,
                                  const OutputFn& output) = 0;
  // Runs a command attached to the caller's file descriptors until it ends; returns its exit
  // code. With spec.tty the container allocates a pseudo-terminal of spec.size.
  virtual Result<int64_t> exec_attached(std::string_view id, const AttachedExecSpec& spec) = 0;
  // Copies a host file or directory into container_dir (which must exist).
  virtual Status copy_to_container(std::string_view id, const std::filesystem::path& host_path,
                                   std::string_view container_dir) = 0;
  // Writes one file with the given content and mode into the container.
  virtual Status put_file(std::string_view id, std::string_view container_path,
                          std::string_view content, uint32_t mode) = 0;
  // Copies a container file or directory into host_dir.
  virtual Status copy_from_container(std::string_view id, std::string_view container_path,
                                     const std::filesystem::path& host_dir) = 0;
  virtual Status stop_container(std::string_view id, int timeout_seconds) = 0;
  virtual Status remove_container(std::string_view id, bool force, bool remove_volumes) = 0;
};

}  // namespace deepdock::core
