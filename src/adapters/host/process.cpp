#include "adapters/host/process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "adapters/host/posix_fd.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/shell_quote.hpp"

namespace deepdock::adapters::host {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int error) {
  return std::strerror(error);
}

void set_nonblocking(const Fd& fd) {
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) {
    ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  }
}

// Blocks SIGPIPE on this thread while we write to the child's stdin, so a child that exits
// without reading makes write() fail with EPIPE instead of killing deepdock. A SIGPIPE
// raised meanwhile is consumed before the old mask is restored.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old_);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    if (sigismember(&old_, SIGPIPE) == 0) {
      sigset_t pending;
      sigemptyset(&pending);
      if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        sigset_t only_pipe;
        sigemptyset(&only_pipe);
        sigaddset(&only_pipe, SIGPIPE);
        const timespec zero{};
        sigtimedwait(&only_pipe, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_{};
};

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// Reads what is available now. Closes the descriptor at end of file.
void drain(Fd& fd, std::string& out) {
  std::array<char, 65536> buffer{};
  while (fd.valid()) {
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got > 0) {
      out.append(buffer.data(), static_cast<size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    }
    fd.reset();  // end of file, or a read error
  }
}

// Writes as much of the remaining input as the pipe takes. Closes the descriptor when all
// is written or the child stopped reading.
void feed(Fd& fd, std::string_view data, size_t& written) {
  const SigpipeGuard guard;
  while (fd.valid() && written < data.size()) {
    const size_t chunk = std::min<size_t>(data.size() - written, 65536);
    const ssize_t put = ::write(fd.get(), data.data() + written, chunk);
    if (put >= 0) {
      written += static_cast<size_t>(put);
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else {
      fd.reset();  // EPIPE: the child does not read its stdin; that is its business
    }
  }
  fd.reset();
}

Result<pid_t> spawn(const std::vector<std::string>& argv, const Pipe& in, const Pipe& out,
                    const Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);

  // The child starts with default SIGPIPE handling and an empty signal mask, whatever the
  // CLI set up for itself.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &empty_mask);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> storage(argv);
  std::vector<char*> args;
  args.reserve(storage.size() + 1);
  for (std::string& arg : storage) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);

  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc == ENOENT) {
    return fail(ErrorCode::kNotFound, fmt::format("{} not found on PATH", argv[0]),
                "install it, or add the directory that holds it to PATH");
  }
  if (rc == EACCES) {
    return fail(ErrorCode::kPermissionDenied, fmt::format("{} is not executable", argv[0]),
                "check its permissions (chmod +x) or the PATH entry that holds it");
  }
  if (rc != 0) {
    return fail(ErrorCode::kFailure, fmt::format("cannot start {}: {}", argv[0], errno_text(rc)));
  }
  return pid;
}

}  // namespace

Result<ProcessResult> run_process(const std::vector<std::string>& argv, std::string_view stdin_data,
                                  std::chrono::milliseconds timeout) {
  if (argv.empty() || argv[0].empty()) {
    return fail(ErrorCode::kInvalidInput, "cannot run a process from an empty argument vector");
  }
  if (util::cancel_requested()) {
    return fail(ErrorCode::kCancelled, fmt::format("{} was not started: cancelled", argv[0]));
  }
  log::debug("running {}", util::shell_join(argv));

  TRY_ASSIGN(Pipe in, make_pipe());
  TRY_ASSIGN(Pipe out, make_pipe());
  TRY_ASSIGN(Pipe err, make_pipe());
  TRY_ASSIGN(const pid_t pid, spawn(argv, in, out, err));
  in.read.reset();
  out.write.reset();
  err.write.reset();
  set_nonblocking(in.write);
  set_nonblocking(out.read);
  set_nonblocking(err.read);

  ProcessResult result;
  size_t written = 0;
  if (stdin_data.empty()) {
    in.write.reset();
  }
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited < 0 && errno == ECHILD) {
      return fail(ErrorCode::kFailure,
                  fmt::format("lost track of {}: its exit status was reaped elsewhere", argv[0]));
    }
    if (waited == pid) {
      // Collect what the child wrote before it exited; a grandchild that still holds the
      // pipes open must not keep us waiting.
      drain(out.read, result.stdout_text);
      drain(err.read, result.stderr_text);
      break;
    }
    if (util::cancel_requested()) {
      kill_and_reap(pid);
      return fail(ErrorCode::kCancelled, fmt::format("{} was stopped: cancelled", argv[0]));
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      kill_and_reap(pid);
      return fail(ErrorCode::kTimeout, fmt::format("{} did not finish within {} ms and was stopped",
                                                   argv[0], timeout.count()));
    }

    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    for (const Fd* fd : {&in.write, &out.read, &err.read}) {
      if (fd->valid()) {
        fds[count++] = pollfd{fd->get(), fd == &in.write ? short{POLLOUT} : short{POLLIN}, 0};
      }
    }
    // Short waits when every pipe is closed: only the exit status is missing then.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    const auto cap = std::chrono::milliseconds(count == 0 ? 5 : 100);
    const int wait_ms =
        static_cast<int>(std::clamp(left, std::chrono::milliseconds(1), cap).count());
    if (::poll(fds.data(), count, wait_ms) < 0 && errno != EINTR) {
      const int error = errno;
      kill_and_reap(pid);
      return fail(ErrorCode::kFailure,
                  fmt::format("waiting for {}: {}", argv[0], errno_text(error)));
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) {
        continue;
      }
      if (fds[i].fd == in.write.get()) {
        feed(in.write, stdin_data, written);
      } else if (fds[i].fd == out.read.get()) {
        drain(out.read, result.stdout_text);
      } else if (fds[i].fd == err.read.get()) {
        drain(err.read, result.stderr_text);
      }
    }
  }
  result.exit_code = exit_code_from_wait_status(status);
  log::debug("{} exited with {}", argv[0], result.exit_code);
  return result;
}

}  // namespace deepdock::adapters::host
