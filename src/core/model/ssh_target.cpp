#include "core/model/ssh_target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace deepdock::core {
namespace {

constexpr std::string_view kScheme = "ssh://";
constexpr std::string_view kShape = "ssh://[user@]host[:port], e.g. ssh://whale@203.0.113.7";

bool valid_user(std::string_view user) {
  return !user.empty() && std::all_of(user.begin(), user.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
  });
}

bool valid_host(std::string_view host) {
  return !host.empty() && host.front() != '-' && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
  });
}

bool valid_ipv6(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
  });
}

Error invalid(std::string_view text, std::string_view why) {
  return Error{ErrorCode::kInvalidInput, fmt::format("'{}' is not an SSH host: {}", text, why),
               fmt::format("write it as {}", kShape)};
}

}  // namespace

Result<SshTarget> SshTarget::parse(std::string_view text) {
  if (text.substr(0, kScheme.size()) != kScheme) {
    return fail(invalid(text, "it does not start with ssh://"));
  }
  std::string_view rest = text.substr(kScheme.size());
  SshTarget target;
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    target.user = std::string(rest.substr(0, at));
    if (!valid_user(target.user)) {
      return fail(invalid(text, "the user name may hold letters, digits, '_', '.' and '-'"));
    }
    rest = rest.substr(at + 1);
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || !valid_ipv6(rest.substr(1, close - 1))) {
      return fail(invalid(text, "an IPv6 address goes in brackets: ssh://[2001:db8::1]:22"));
    }
    target.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return fail(invalid(text, "only :port may follow the address"));
    }
    port_text = rest.empty() ? std::string_view() : rest.substr(1);
  } else {
    const size_t colon = rest.find(':');
    target.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
    }
    if (!valid_host(target.host)) {
      return fail(invalid(text, "the host must be a name or an address"));
    }
  }
  if (!port_text.empty() || (!rest.empty() && rest.back() == ':')) {
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return fail(invalid(text, "the port must be a number from 1 to 65535"));
    }
    target.port = static_cast<uint16_t>(port);
  }
  return target;
}

std::string SshTarget::url() const {
  const std::string host_part = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return fmt::format("ssh://{}{}{}", user.empty() ? "" : user + "@", host_part,
                     port == 0 ? "" : fmt::format(":{}", port));
}

std::string SshTarget::slug() const {
  std::string out = (user.empty() ? "" : user + "-at-") + host;
  std::replace(out.begin(), out.end(), ':', '_');
  if (port != 0) {
    out += fmt::format("-{}", port);
  }
  return out;
}

}  // namespace deepdock::core
