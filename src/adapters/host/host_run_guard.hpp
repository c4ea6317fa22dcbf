#pragma once
// What keeps a bootstrap running on the host itself (`deepdock bootstrap --on-host`) safe:
// one run at a time (an exclusive flock, and the holder's description in the lock file for
// the one turned away), and no run left unattended when the deepdock that started it over
// SSH is gone (its ssh client killed: sshd closes the session's pipes, and the run cancels
// itself, which stops the running step's child).

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "util/error.hpp"

namespace deepdock::adapters::host {

class RunLock {
 public:
  // Takes the lock at `path` (its directory created), waiting while another run holds it:
  // `waiting` is told once who that is (what it wrote: "pid 812, started
  // 2026-01-02T10:00:00Z for ssh://…"). `holder` is written for the next one to read.
  // Cancellation ends the wait (kCancelled).
  static Result<RunLock> acquire(const std::filesystem::path& path, const std::string& holder,
                                 const std::function<void(const std::string&)>& waiting);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Watches stdout and stderr from a background thread: when the reader of either goes away
// (a pipe or socket whose far end closed), cancellation is requested (util/cancel), as if the
// user had pressed Ctrl-C. A terminal or a file never trips it.
void cancel_when_reader_leaves();

// Waits up to `grace` for the reader to go away (it answers at once when it is gone): a
// step boundary gives a deepdock killed as it saw the last step end the time to be noticed
// before the next step starts. Requests cancellation and returns true when it went.
bool reader_left_within(std::chrono::milliseconds grace);

}  // namespace deepdock::adapters::host
