// A unix socket the user may not open maps to kPermissionDenied with the docker-group
// hint. Root bypasses file permissions, so as root the probe runs in a forked child that
// has dropped to `nobody`.

#include <grp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "adapters/http/curl_transport.hpp"
#include "integration/http/test_server.hpp"

namespace deepdock::adapters::http {
namespace {

constexpr uid_t kNobody = 65534;
constexpr int kCannotDropPrivileges = 99;

struct Probe {
  bool ran = false;
  std::string skip_reason;
  int code = -1;  // ErrorCode, or -1 when the request succeeded
  std::string message;
  std::string hint;
};

// Sends one request; the outcome is written to `fd` as "code\nmessage\nhint".
void probe_into(const std::string& socket_path, int fd) {
  TransportConfig config;
  config.unix_socket = socket_path;
  config.max_attempts = 1;
  CurlTransport transport(config);
  core::HttpRequest request;
  request.target = "/_ping";
  auto response = transport.send(request);
  const std::string report = response
                                 ? std::string("-1\n\n")
                                 : std::to_string(static_cast<int>(response.error().code)) + "\n" +
                                       response.error().message + "\n" + response.error().hint;
  const ssize_t written = write(fd, report.data(), report.size());
  static_cast<void>(written);
}

Probe parse(const std::string& report) {
  Probe probe;
  probe.ran = true;
  const size_t first = report.find('\n');
  const size_t second = report.find('\n', first + 1);
  probe.code = std::stoi(report.substr(0, first));
  probe.message = report.substr(first + 1, second - first - 1);
  probe.hint = report.substr(second + 1);
  return probe;
}

Probe probe_as_unprivileged_user(const std::string& socket_path) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return Probe{false, "pipe() failed", -1, {}, {}};
  }
  const bool as_root = geteuid() == 0;
  const pid_t child = as_root ? fork() : 0;
  if (child == 0) {
    if (as_root) {
      close(pipe_fds[0]);
      if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0) {
        _exit(kCannotDropPrivileges);
      }
    }
    probe_into(socket_path, pipe_fds[1]);
    if (as_root) {
      _exit(0);
    }
  }
  close(pipe_fds[1]);
  std::string report;
  char buffer[512];
  ssize_t n = 0;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    report.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  if (as_root) {
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == kCannotDropPrivileges) {
      return Probe{false, "running as root and cannot setuid(nobody) here", -1, {}, {}};
    }
  }
  return parse(report);
}

TEST(CurlTransportPermissionTest, SocketWithoutAccessIsPermissionDeniedWithGroupHint) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "docker.sock").string();
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(chmod(path.c_str(), 0), 0);  // like /run/docker.sock to a user outside the group

  const Probe probe = probe_as_unprivileged_user(path);
  close(fd);
  if (!probe.ran) {
    GTEST_SKIP() << "cannot provoke EACCES: " << probe.skip_reason;
  }
  EXPECT_EQ(probe.code, static_cast<int>(ErrorCode::kPermissionDenied)) << probe.message;
  EXPECT_EQ(probe.message, "permission denied connecting to unix://" + path);
  EXPECT_NE(probe.hint.find("usermod -aG docker"), std::string::npos) << probe.hint;
}

}  // namespace
}  // namespace deepdock::adapters::http
