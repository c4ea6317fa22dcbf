#pragma once
// Owned file descriptors and close-on-exec pipes, and a child's wait status as an exit
// code: what the process runners (process.cpp, streaming_process.cpp) are built from.

#include <utility>

#include "util/error.hpp"

namespace deepdock::adapters::host {

// Owns one file descriptor; closes it on destruction (move-only).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

// pipe2 with O_CLOEXEC: a process spawned by another thread meanwhile inherits neither end.
Result<Pipe> make_pipe();

// 128 + the signal for a child killed by one; -1 when the status is neither.
int exit_code_from_wait_status(int status);

}  // namespace deepdock::adapters::host
