// DockerEngine: image archives, what `docker save` and `docker load` move. A save streams
// GET /images/{name}/get through a socket pair into copy_image_archive, which runs on this
// thread while another thread downloads, so a multi-gigabyte image is never held whole: only
// the layers the receiver lacks reach the file. A load streams a file as the body of
// POST /images/load and reads the engine's JSON progress stream.
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <thread>

#include "adapters/docker/build_context.hpp"
#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/engine_errors.hpp"
#include "adapters/docker/engine_request.hpp"
#include "adapters/docker/image_archive_filter.hpp"

namespace deepdock::adapters::docker {
namespace {

// Both ends of a socket pair, closed once each.
class SocketPair {
 public:
  SocketPair() {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_.data()) != 0) {
      fds_ = {-1, -1};
    }
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  ~SocketPair() {
    close_reader();
    close_writer();
  }
  [[nodiscard]] bool ok() const { return fds_[0] >= 0; }
  [[nodiscard]] int reader() const { return fds_[0]; }
  // Sends all of `data`; false once the reader is gone.
  bool send_all(std::string_view data) const {
    while (!data.empty()) {
      const ssize_t sent = ::send(fds_[1], data.data(), data.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) {
        continue;
      }
      if (sent <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }
  void close_reader() { close_end(0); }
  void close_writer() { close_end(1); }

 private:
  void close_end(size_t end) {
    if (fds_.at(end) >= 0) {
      ::close(fds_.at(end));
      fds_.at(end) = -1;
    }
  }
  std::array<int, 2> fds_{-1, -1};
};

}  // namespace

Result<core::SavedImage> DockerEngine::save_image(std::string_view ref,
                                                  const std::set<std::string>& omit_layers,
                                                  const std::filesystem::path& path) {
  const std::string action = fmt::format("saving image {}", ref);
  SocketPair pipe;
  if (!pipe.ok()) {
    return fail(ErrorCode::kFailure, fmt::format("{}: cannot create a socket pair", action));
  }
  Result<core::HttpResponse> download = fail(ErrorCode::kFailure, action);
  std::thread downloader([&] {
    core::HttpRequest request{.target = fmt::format("/images/{}/get", path_segment(ref))};
    request.timeout = std::chrono::milliseconds::zero();
    request.on_body = [&pipe](std::string_view chunk) { return pipe.send_all(chunk); };
    download = send(std::move(request), action);
    pipe.close_writer();
  });
  auto copied = copy_image_archive(pipe.reader(), omit_layers, path, path.parent_path());
  pipe.close_reader();  // a copy that stopped early ends the download too
  downloader.join();
  // A copy that failed closed the socket, which cancelled the download: its error is the
  // copy's.
  if (!download && (copied || download.error().code != ErrorCode::kCancelled)) {
    return fail(download.error());
  }
  if (download && !download->ok()) {
    return fail(http_error(download->status, download->body, action, endpoint()));
  }
  if (!copied) {
    return fail(copied.error().context(action));
  }
  return core::SavedImage{.bytes = copied->bytes_written,
                          .bytes_left_out = copied->bytes_left_out,
                          .layers_left_out = copied->files_left_out};
}

Status DockerEngine::load_image(const std::filesystem::path& archive,
                                const core::ProgressFn& progress) {
  const std::string action = fmt::format("loading the image archive {}", archive.string());
  std::error_code error;
  const auto size = std::filesystem::file_size(archive, error);
  if (error) {
    return fail(ErrorCode::kNotFound, fmt::format("{}: {}", action, error.message()));
  }
  core::HttpRequest request{.method = core::HttpMethod::kPost, .target = "/images/load?quiet=0"};
  request.headers.push_back({"Content-Type", "application/x-tar"});
  request.body_source = file_body_source(archive);
  request.body_size = size;
  TRY(call_progress_stream(std::move(request), action, progress));
  return {};
}

}  // namespace deepdock::adapters::docker
