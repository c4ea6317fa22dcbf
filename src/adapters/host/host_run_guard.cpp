#include "adapters/host/host_run_guard.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "util/cancel.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

std::string read_fd(int fd) {
  std::string text;
  std::array<char, 512> buffer{};
  ssize_t got = 0;
  ::lseek(fd, 0, SEEK_SET);
  while ((got = ::read(fd, buffer.data(), buffer.size())) > 0) {
    text.append(buffer.data(), static_cast<size_t>(got));
  }
  return std::string(util::trim(text));
}

bool is_pipe_or_socket(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode));
}

// Stdout and stderr where they are pipes or sockets; no events asked: only POLLERR and
// POLLHUP come back.
std::vector<pollfd> reader_fds() {
  std::vector<pollfd> watched;
  for (const int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    if (is_pipe_or_socket(fd)) {
      watched.push_back({fd, 0, 0});
    }
  }
  return watched;
}

bool reader_gone(std::vector<pollfd>& watched, int timeout_ms) {
  if (::poll(watched.data(), watched.size(), timeout_ms) <= 0) {
    return false;
  }
  return std::any_of(watched.begin(), watched.end(), [](const pollfd& entry) {
    return (entry.revents & (POLLERR | POLLHUP)) != 0;
  });
}

}  // namespace

Result<RunLock> RunLock::acquire(const std::filesystem::path& path, const std::string& holder,
                                 const std::function<void(const std::string&)>& waiting) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  bool told = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (!told) {
      const std::string other = read_fd(fd);
      waiting(other.empty() ? std::string("holder unknown") : other);
      told = true;
    }
    if (!util::sleep_unless_cancelled(std::chrono::milliseconds(200))) {
      ::close(fd);
      return fail(ErrorCode::kCancelled,
                  fmt::format("waiting for another deepdock bootstrap (it holds {}): cancelled",
                              path.string()));
    }
  }
  const std::string text = holder + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
    // The lock holds without its description; the next one only learns less.
  }
  return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

RunLock::~RunLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // closing the only descriptor releases the flock
  }
}

void cancel_when_reader_leaves() {
  std::vector<pollfd> watched = reader_fds();
  if (watched.empty()) {
    return;
  }
  std::thread([watched]() mutable {
    while (!util::cancel_requested()) {
      if (reader_gone(watched, 500)) {
        util::request_cancel();
        return;
      }
    }
  }).detach();
}

bool reader_left_within(std::chrono::milliseconds grace) {
  std::vector<pollfd> watched = reader_fds();
  if (watched.empty() || !reader_gone(watched, static_cast<int>(grace.count()))) {
    return false;
  }
  util::request_cancel();
  return true;
}

}  // namespace deepdock::adapters::host
