#include "adapters/host/streaming_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "adapters/host/posix_fd.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxLine = size_t{64} * 1024;  // a longer line is handed over in pieces

bool is_executable_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// In the child, between fork and exec: only async-signal-safe calls, no allocation.
[[noreturn]] void exec_child(const char* path, char* const* args, int null_fd, int output_fd,
                             int error_fd, pid_t parent, bool die_with_parent) {
  ::setpgid(0, 0);
  if (die_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {  // the parent died before prctl took effect
      ::_exit(127);
    }
  }
  ::dup2(null_fd, STDIN_FILENO);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  // Ignored signals stay ignored across exec, and the mask is inherited: the child starts
  // clean, whatever the CLI set up for itself.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &default_action, nullptr);
  sigset_t empty;
  ::sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  ::execv(path, args);
  const int error = errno;
  (void)!::write(error_fd, &error, sizeof error);
  ::_exit(127);
}

// Splits a byte stream into lines for on_line.
class LineSplitter {
 public:
  explicit LineSplitter(const OutputLineFn& on_line) : on_line_(on_line) {}
  void feed(std::string_view chunk) {
    pending_.append(chunk);
    size_t start = 0;
    for (size_t end = pending_.find('\n'); end != std::string::npos;
         end = pending_.find('\n', start)) {
      emit(std::string_view(pending_).substr(start, end - start));
      start = end + 1;
    }
    pending_.erase(0, start);
    if (pending_.size() > kMaxLine) {
      emit(pending_);
      pending_.clear();
    }
  }
  void finish() {
    if (!pending_.empty()) {
      emit(pending_);
      pending_.clear();
    }
  }

 private:
  void emit(std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (on_line_) {
      on_line_(line);
    }
  }
  const OutputLineFn& on_line_;
  std::string pending_;
};

// Reads what is available now into the splitter. Closes the descriptor at end of file.
void drain(Fd& fd, LineSplitter& lines) {
  std::array<char, 65536> buffer{};
  while (fd.valid()) {
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got > 0) {
      lines.feed(std::string_view(buffer.data(), static_cast<size_t>(got)));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      fd.reset();  // end of file, or a read error
    }
  }
}

}  // namespace

std::optional<fs::path> find_executable(std::string_view name,
                                        const std::vector<fs::path>& extra_dirs) {
  if (name.empty()) {
    return std::nullopt;
  }
  if (name.find('/') != std::string_view::npos) {
    return is_executable_file(fs::path(name)) ? std::optional<fs::path>(name) : std::nullopt;
  }
  std::vector<fs::path> dirs;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (const std::string& dir : util::split(path, ':')) {
      dirs.emplace_back(dir.empty() ? "." : dir);
    }
  }
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  for (const fs::path& dir : dirs) {
    if (fs::path candidate = dir / name; is_executable_file(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<int> run_streaming_process(const std::vector<std::string>& argv, const OutputLineFn& on_line,
                                  const StreamingOptions& options) {
  if (argv.empty() || argv[0].empty()) {
    return fail(ErrorCode::kInvalidInput, "cannot run a process from an empty argument vector");
  }
  if (util::cancel_requested()) {
    return fail(ErrorCode::kCancelled, fmt::format("{} was not started: cancelled", argv[0]));
  }
  const std::optional<fs::path> program = find_executable(argv[0]);
  if (!program) {
    return fail(ErrorCode::kNotFound, fmt::format("{} not found on PATH", argv[0]),
                "install it, or add the directory that holds it to PATH");
  }
  log::debug("running {}", util::shell_join(argv));

  // Everything the child needs is allocated before fork.
  std::vector<std::string> storage(argv);
  std::vector<char*> args;
  args.reserve(storage.size() + 1);
  for (std::string& arg : storage) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  const Fd null_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null_fd.valid()) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot open /dev/null: {}", std::strerror(errno)));
  }
  TRY_ASSIGN(Pipe output, make_pipe());
  TRY_ASSIGN(Pipe exec_error, make_pipe());  // carries execv's errno; closed by a good exec
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot start {}: {}", argv[0], std::strerror(errno)));
  }
  if (pid == 0) {
    exec_child(program->c_str(), args.data(), null_fd.get(), output.write.get(),
               exec_error.write.get(), parent, options.die_with_parent);
  }
  ::setpgid(pid, pid);  // also here, so a kill of the group cannot race the child's own call
  output.write.reset();
  exec_error.write.reset();

  int exec_errno = 0;
  ssize_t got = 0;
  while ((got = ::read(exec_error.read.get(), &exec_errno, sizeof exec_errno)) < 0 &&
         errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    wait_for(pid);
    if (exec_errno == EACCES) {
      return fail(ErrorCode::kPermissionDenied, fmt::format("{} is not executable", argv[0]),
                  "check its permissions (chmod +x) or the PATH entry that holds it");
    }
    return fail(ErrorCode::kFailure,
                fmt::format("cannot start {}: {}", argv[0], std::strerror(exec_errno)));
  }

  const int flags = ::fcntl(output.read.get(), F_GETFL);
  ::fcntl(output.read.get(), F_SETFL, flags | O_NONBLOCK);
  LineSplitter lines(on_line);
  int status = 0;
  while (true) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      // What the child wrote before it ended; a grandchild still holding the pipe open
      // must not keep us waiting.
      drain(output.read, lines);
      break;
    }
    if (util::cancel_requested()) {
      ::kill(-pid, SIGKILL);
      wait_for(pid);
      lines.finish();
      return fail(ErrorCode::kCancelled, fmt::format("{} was stopped: cancelled", argv[0]));
    }
    pollfd watch{output.read.get(), POLLIN, 0};
    // Once the pipe is closed only the exit status is missing: short waits then.
    if (output.read.valid()) {
      ::poll(&watch, 1, 100);
      drain(output.read, lines);
    } else {
      ::poll(nullptr, 0, 5);
    }
  }
  lines.finish();
  const int exit_code = exit_code_from_wait_status(status);
  log::debug("{} exited with {}", argv[0], exit_code);
  return exit_code;
}

}  // namespace deepdock::adapters::host
