#include "probe/framework_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "probe/stopwatch.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace deepdock::probe {
namespace {

constexpr size_t kErrorTailLines = 8;

class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_.data(), O_CLOEXEC) != 0) {
      fds_ = {-1, -1};
    }
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  Pipe(Pipe&&) = delete;
  Pipe& operator=(Pipe&&) = delete;
  [[nodiscard]] bool ok() const { return fds_[0] >= 0; }
  [[nodiscard]] int read_end() const { return fds_[0]; }
  [[nodiscard]] int write_end() const { return fds_[1]; }
  void close_read() { close_fd(fds_[0]); }
  void close_write() { close_fd(fds_[1]); }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
  std::array<int, 2> fds_{-1, -1};
};

std::string last_lines(std::string_view text, size_t count) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  size_t start = text.size();
  for (size_t lines = 0; start > 0 && lines < count;) {
    --start;
    if (text[start] == '\n') {
      ++lines;
    }
  }
  if (start < text.size() && text[start] == '\n') {
    ++start;
  }
  return std::string(text.substr(start));
}

// The rest of the last line that starts with `marker`.
std::string_view line_after(std::string_view text, std::string_view marker) {
  std::string_view found;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with(marker)) {
      found = line.substr(marker.size());
    }
    pos = end + 1;
  }
  return found;
}

// Reads both pipes to their ends without letting either fill up.
void drain(Pipe& out, Pipe& err, std::string& out_text, std::string& err_text) {
  std::array<pollfd, 2> fds{pollfd{out.read_end(), POLLIN, 0}, pollfd{err.read_end(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&out_text, &err_text};
  std::array<char, 8192> buffer{};
  int open = 2;
  while (open > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        sinks[i]->append(buffer.data(), static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

}  // namespace

void read_framework_output(std::string_view stdout_text, std::string_view stderr_text,
                           FrameworkCheck& check) {
  const std::string_view result = line_after(stdout_text, kFrameworkResultMarker);
  check.ran = !result.empty() && result.front() == '{';
  if (check.ran) {
    check.result_json = std::string(result);
  }
  check.summary = std::string(line_after(stdout_text, kFrameworkSummaryMarker));
  if (!check.ran) {
    check.error_tail = last_lines(stderr_text.empty() ? stdout_text : stderr_text, kErrorTailLines);
  }
}

FrameworkCheck run_framework_check(const std::vector<std::string>& argv) {
  FrameworkCheck check;
  check.requested = true;
  const Stopwatch stopwatch;
  Pipe out;
  Pipe err;
  if (argv.empty() || !out.ok() || !err.ok()) {
    check.exit_code = -1;
    check.error_tail = "could not set up the framework check's pipes";
    return check;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write_end(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end(), STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));  // NOLINT: posix_spawn's signature
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  out.close_write();
  err.close_write();
  if (spawned != 0) {
    check.exit_code = 127;
    check.error_tail = argv[0] + ": " + std::strerror(spawned);  // NOLINT(concurrency-mt-unsafe)
    return check;
  }
  std::string out_text;
  std::string err_text;
  drain(out, err, out_text, err_text);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  check.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  check.seconds = stopwatch.seconds();
  read_framework_output(out_text, err_text, check);
  return check;
}

}  // namespace deepdock::probe
