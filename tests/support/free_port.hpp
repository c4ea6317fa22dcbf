#pragma once
// A loopback TCP port nothing listens on now, for test services and for environments run
// with host networking beside other tests.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace deepdock::testing {

// 0 when no port could be had. Ports above 60000 are avoided (and `avoid` itself), so a
// busy port can move up to the next free one.
inline uint16_t free_loopback_port(uint16_t avoid = 0) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
      return 0;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    socklen_t length = sizeof(addr);
    uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    if (port != 0 && port != avoid && port < 60000) {
      return port;
    }
  }
  return 0;
}

}  // namespace deepdock::testing
