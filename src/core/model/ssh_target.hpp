#pragma once
// A host reached over SSH, as a spec or the command line names it: ssh://[user@]host[:port]
// (an IPv6 address in brackets). The user and port are optional: without them the user's
// ssh configuration decides, as it does for `ssh host`.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

struct SshTarget {
  std::string user;   // "" = ssh's choice (~/.ssh/config, then the local user)
  std::string host;   // "203.0.113.7", "gpu-box", "::1" (no brackets)
  uint16_t port = 0;  // 0 = ssh's choice (~/.ssh/config, then 22)

  // ssh://whale@203.0.113.7:2222; kInvalidInput with the expected shape otherwise.
  static Result<SshTarget> parse(std::string_view text);

  // The URL form, as parsed: "ssh://whale@[::1]:2222".
  [[nodiscard]] std::string url() const;
  // A short, stable name for files (ControlPath, forwarded sockets): no '/', no ':'.
  [[nodiscard]] std::string slug() const;

  bool operator==(const SshTarget&) const = default;
};

}  // namespace deepdock::core
