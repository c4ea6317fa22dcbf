#include "adapters/docker/attached_stream_pump.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "adapters/docker/multiplexed_stream.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::docker {
namespace {

using std::chrono::milliseconds;

constexpr size_t kBufferSize = size_t{32} * 1024;
// Reads per wake, so a flood of output cannot keep stdin and resizes waiting.
constexpr int kMaxReadsPerWake = 64;

// Writes all of `data` to `fd`, waiting when it is non-blocking and full.
Status write_fd(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written > 0) {
      data.remove_prefix(static_cast<size_t>(written));
      continue;
    }
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd entry{.fd = fd, .events = POLLOUT, .revents = 0};
      ::poll(&entry, 1, static_cast<int>(kPumpWakeInterval.count()));
      continue;
    }
    return fail(ErrorCode::kFailure, fmt::format("cannot write the command's output to fd {}: {}",
                                                 fd, std::strerror(errno)));
  }
  return {};
}

// Where the stream's bytes go: straight to stdout (tty), or through the frame decoder.
class OutputSink {
 public:
  explicit OutputSink(const AttachedFds& fds)
      : fds_(fds), decoder_([this](core::StreamKind kind, std::string_view data) {
          if (!error_) {
            auto written =
                write_fd(kind == core::StreamKind::kStderr ? fds_.stderr_fd : fds_.stdout_fd, data);
            if (!written) {
              error_ = written.error();
            }
          }
        }) {}

  Status deliver(std::string_view chunk) {
    if (fds_.tty) {
      return write_fd(fds_.stdout_fd, chunk);
    }
    TRY(decoder_.feed(chunk));
    return take_error();
  }
  Status finish() {
    if (!fds_.tty) {
      TRY(decoder_.finish());
    }
    return take_error();
  }

 private:
  Status take_error() {
    if (error_) {
      return fail(*std::exchange(error_, std::nullopt));
    }
    return {};
  }

  const AttachedFds& fds_;
  MultiplexedStreamDecoder decoder_;
  std::optional<Error> error_;
};

// Stdin's side: one piece read, written until done, then the next; EOF half-closes.
class InputSide {
 public:
  explicit InputSide(int fd) : fd_(fd), open_(fd >= 0) {}

  // Whether to poll stdin for more.
  [[nodiscard]] bool wants_input() const { return open_ && unsent().empty(); }
  [[nodiscard]] bool has_unsent() const { return !unsent().empty(); }

  void read_input(std::span<char> buffer) {
    const ssize_t count = ::read(fd_, buffer.data(), buffer.size());
    if (count > 0) {
      piece_.assign(buffer.data(), static_cast<size_t>(count));
      offset_ = 0;
    } else if (count == 0) {
      open_ = false;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      log::debug("docker: reading stdin failed ({}); treating it as its end", std::strerror(errno));
      open_ = false;
    }
  }

  // Writes what the stream takes now; the same bytes again after a short write (TLS needs
  // it), then the half close once stdin is done.
  Status send(core::RawStream& stream) {
    if (has_unsent()) {
      TRY_ASSIGN(const size_t sent, stream.write_some(unsent()));
      offset_ += sent;
      if (!has_unsent()) {
        piece_.clear();
        offset_ = 0;
      }
    }
    if (fd_ >= 0 && !open_ && !has_unsent() && !half_closed_) {
      TRY(stream.close_write());
      half_closed_ = true;
      log::debug("docker: stdin ended; half-closed the attached stream");
    }
    return {};
  }

 private:
  [[nodiscard]] std::string_view unsent() const { return std::string_view(piece_).substr(offset_); }

  int fd_;
  bool open_;
  bool half_closed_ = false;
  std::string piece_;
  size_t offset_ = 0;
};

}  // namespace

Status pump_attached_stream(core::RawStream& stream, const AttachedFds& fds,
                            const std::function<void()>& on_wake) {
  std::vector<char> buffer(kBufferSize);
  OutputSink output(fds);
  InputSide input(fds.stdin_fd);
  while (true) {
    if (util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, "the attached session was cancelled");
    }
    if (on_wake) {
      on_wake();
    }
    // Drain first: bytes already off the socket would not wake poll.
    for (int reads = 0; reads < kMaxReadsPerWake; ++reads) {
      TRY_ASSIGN(const size_t count, stream.read(buffer, milliseconds::zero()));
      if (count == 0) {
        break;
      }
      TRY(output.deliver(std::string_view(buffer.data(), count)));
    }
    if (stream.at_end()) {
      return output.finish();
    }
    TRY(input.send(stream));

    std::array<pollfd, 2> entries{};
    entries[0] = {.fd = stream.fd(),
                  .events = static_cast<short>(POLLIN | (input.has_unsent() ? POLLOUT : 0)),
                  .revents = 0};
    entries[1] = {.fd = input.wants_input() ? fds.stdin_fd : -1, .events = POLLIN, .revents = 0};
    const int ready =
        ::poll(entries.data(), entries.size(), static_cast<int>(kPumpWakeInterval.count()));
    if (ready < 0 && errno != EINTR) {
      return fail(ErrorCode::kFailure,
                  fmt::format("the attached session's poll failed: {}", std::strerror(errno)));
    }
    if (ready > 0 && entries[1].revents != 0) {
      input.read_input(buffer);
    }
  }
}

}  // namespace deepdock::adapters::docker
