#include "build_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <thread>

namespace deepdock::gcpemu {
namespace {

// SIGTERM to the group, then SIGKILL if it lingers.
void stop_group(pid_t pid) {
  ::kill(-pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      ::kill(-pid, SIGKILL);  // what the leader left behind
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

RunOutcome run_program(const RunSpec& spec) {
  RunOutcome outcome;
  std::array<int, 2> out{};
  if (::pipe2(out.data(), O_CLOEXEC) != 0) {
    return outcome;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    if (null > STDERR_FILENO) {
      ::close(null);
    }
    for (const auto& [name, value] : spec.env) {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    if (!spec.dir.empty() && ::chdir(spec.dir.c_str()) != 0) {
      ::_exit(126);
    }
    std::vector<char*> argv;
    for (const std::string& arg : spec.argv) {
      argv.push_back(const_cast<char*>(arg.c_str()));  // NOLINT: execvp takes char*const[]
    }
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (pid < 0) {
    ::close(out[0]);
    return outcome;
  }
  ::setpgid(pid, pid);  // also here, so a stop right away reaches the group
  std::array<char, 8192> buffer{};
  while (true) {
    if (spec.should_stop && spec.should_stop()) {
      outcome.stopped = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= spec.deadline) {
      outcome.timed_out = true;
      break;
    }
    pollfd entry{out[0], POLLIN, 0};
    if (::poll(&entry, 1, 100) <= 0) {
      continue;
    }
    const ssize_t count = ::read(out[0], buffer.data(), buffer.size());
    if (count <= 0) {
      break;  // every writer closed: the program (and what it started) is done
    }
    if (spec.on_output) {
      spec.on_output(std::string_view(buffer.data(), static_cast<size_t>(count)));
    }
  }
  ::close(out[0]);
  if (outcome.stopped || outcome.timed_out) {
    stop_group(pid);
    return outcome;
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
    outcome.exit_status = WEXITSTATUS(status);
  }
  return outcome;
}

}  // namespace deepdock::gcpemu
