#include "realize.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace deepdock::gcpemu {
namespace {

std::string last_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::string last;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    if (!line.empty()) {
      last = line;
    }
  }
  return last;
}

}  // namespace

std::filesystem::path serial_port_file(const std::filesystem::path& instance_dir) {
  return instance_dir / "serial-port-1.log";
}

RealizeResult Realizer::run(const RealizeJob& job) const {
  std::filesystem::create_directories(job.dir);
  const auto script = job.dir / "startup-script";
  std::ofstream(script) << job.startup_script;
  const std::vector<std::string> env = {"INSTANCE_NAME=" + job.instance,
                                        "ZONE=" + job.zone,
                                        "PROJECT=" + job.project,
                                        "SSH_KEYS=" + job.ssh_keys,
                                        "STARTUP_SCRIPT_FILE=" + script.string(),
                                        "SERIAL_PORT_FILE=" + serial_port_file(job.dir).string(),
                                        "REALIZE_ACTION=" + std::string(job.up ? "up" : "down")};
  const std::string& command = job.up ? up_command_ : down_command_;

  std::array<int, 2> out{};
  if (::pipe(out.data()) != 0) {
    return {false, "", "pipe failed"};
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    for (const std::string& assignment : env) {
      ::putenv(const_cast<char*>(assignment.c_str()));  // NOLINT: the child execs next
    }
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string output;
  std::array<char, 4096> buffer{};
  ssize_t n = 0;
  while ((n = ::read(out[0], buffer.data(), buffer.size())) > 0) {
    output.append(buffer.data(), static_cast<size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) < 0) {
    return {false, "", "could not run the realize command"};
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return {false, "",
            "the realize command failed (status " + std::to_string(WEXITSTATUS(status)) +
                "): " + last_line(output)};
  }
  return {true, last_line(output), ""};
}

}  // namespace deepdock::gcpemu
