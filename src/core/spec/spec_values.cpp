#include "core/spec/spec_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/model/image_ref.hpp"
#include "core/model/ssh_target.hpp"

namespace deepdock::core::spec_values {
namespace {

bool is_lower(char ch) {
  return ch >= 'a' && ch <= 'z';
}
bool is_digit(char ch) {
  return ch >= '0' && ch <= '9';
}
bool is_lower_alnum(char ch) {
  return is_lower(ch) || is_digit(ch);
}
bool is_alnum(char ch) {
  return is_lower_alnum(ch) || (ch >= 'A' && ch <= 'Z');
}
bool is_control(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  return byte < 0x20 || byte == 0x7f;
}

template <typename Predicate>
bool all(std::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), predicate);
}

bool all_digits(std::string_view text) {
  return !text.empty() && all(text, is_digit);
}

// "2.15" or "2.15.1" when `max_parts` is 3: dot-separated decimal numbers.
bool dotted_numbers(std::string_view text, size_t min_parts, size_t max_parts) {
  size_t parts = 0;
  while (true) {
    const size_t dot = text.find('.');
    if (!all_digits(text.substr(0, dot))) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) {
      break;
    }
    text = text.substr(dot + 1);
  }
  return parts >= min_parts && parts <= max_parts;
}

std::optional<int> port_number(std::string_view text) {
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (!all_digits(text) || error != std::errc() || end != text.data() + text.size() || port < 1 ||
      port > 65535) {
    return std::nullopt;
  }
  return port;
}

// A DNS name or IPv4 address ("203.0.113.7", "gpu-box.lan"), or an IPv6 address in brackets.
bool valid_host(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return all(host.substr(1, host.size() - 2),
               [](char ch) { return is_alnum(ch) || ch == ':' || ch == '.'; });
  }
  return !host.empty() && host.size() <= 253 && host.front() != '-' && host.front() != '.' &&
         all(host, [](char ch) { return is_alnum(ch) || ch == '-' || ch == '.'; });
}

// host or host:port; IPv6 hosts in brackets.
bool valid_host_port(std::string_view text) {
  const size_t bracket = text.rfind(']');
  const size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    return valid_host(text.substr(0, colon)) && port_number(text.substr(colon + 1)).has_value();
  }
  return valid_host(text);
}

}  // namespace

Check check_name(std::string_view text) {
  if (text.empty() || text.size() > 63 || !is_lower_alnum(text.front()) || !all(text, [](char ch) {
        return is_lower_alnum(ch) || ch == '_' || ch == '.' || ch == '-';
      })) {
    return "must be 1-63 lowercase letters, digits, '_', '.' or '-', starting with a letter or "
           "digit";
  }
  return std::nullopt;
}

Check check_version(std::string_view text) {
  if (!dotted_numbers(text, 2, 3)) {
    return "must be major.minor or major.minor.patch (\"2.15\", \"2.15.1\"), or latest";
  }
  return std::nullopt;
}

Check check_python(std::string_view text) {
  if (!dotted_numbers(text, 2, 2)) {
    return "must be major.minor, e.g. \"3.11\"";
  }
  return std::nullopt;
}

Check check_base(std::string_view text) {
  constexpr std::string_view kDebootstrap = "debootstrap:";
  if (text == "auto") {
    return std::nullopt;
  }
  if (text.substr(0, kDebootstrap.size()) == kDebootstrap) {
    const std::string_view suite = text.substr(kDebootstrap.size());
    if (suite.empty() || !all(suite, is_lower)) {
      return "debootstrap needs a suite in lowercase letters, e.g. debootstrap:bookworm";
    }
    return std::nullopt;
  }
  if (auto ref = ImageRef::parse(text); !ref) {
    return fmt::format("must be auto, debootstrap:<suite>, or an image reference: {}",
                       ref.error().message);
  }
  return std::nullopt;
}

Check check_apt_package(std::string_view text) {
  const size_t equals = text.find('=');
  const std::string_view name = text.substr(0, equals);
  const bool name_ok = name.size() >= 2 && is_lower_alnum(name.front()) && all(name, [](char ch) {
                         return is_lower_alnum(ch) || ch == '+' || ch == '-' || ch == '.';
                       });
  const bool version_ok =
      equals == std::string_view::npos ||
      (equals + 1 < text.size() && all(text.substr(equals + 1), [](char ch) {
         return is_alnum(ch) || ch == '.' || ch == '+' || ch == '~' || ch == ':' || ch == '-';
       }));
  if (!name_ok || !version_ok) {
    return "must be a Debian package name (lowercase letters, digits, '+', '-', '.'), "
           "optionally pinned as name=version";
  }
  return std::nullopt;
}

Check check_pip_requirement(std::string_view text) {
  if (all(text, [](char ch) { return ch == ' ' || ch == '\t'; })) {
    return "must not be empty";
  }
  if (std::any_of(text.begin(), text.end(), is_control)) {
    return "must not contain control characters or line breaks";
  }
  return std::nullopt;
}

Check check_relative_path(std::string_view text) {
  if (text.empty()) {
    return "must not be empty";
  }
  if (text.front() == '/') {
    return "must be relative to the spec's folder, not absolute";
  }
  if (std::any_of(text.begin(), text.end(), is_control)) {
    return "must not contain control characters or line breaks";
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    if (rest.substr(0, slash) == "..") {
      return "must stay inside the spec's folder (no '..'): it is copied into the build context";
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return std::nullopt;
}

Check check_mount(std::string_view text) {
  const size_t first = text.find(':');
  if (first == std::string_view::npos) {
    return "must be host:container[:ro|rw], e.g. \"./work:/workspace\"";
  }
  const std::string_view host = text.substr(0, first);
  std::string_view container = text.substr(first + 1);
  std::string_view mode;
  if (const size_t second = container.find(':'); second != std::string_view::npos) {
    mode = container.substr(second + 1);
    container = container.substr(0, second);
    if (mode != "ro" && mode != "rw") {
      return fmt::format("has mode '{}': the mode must be ro or rw", mode);
    }
  }
  if (host.empty()) {
    return "has no host path: write host:container, e.g. \"./work:/workspace\"";
  }
  if (container.empty() || container.front() != '/') {
    return "must name an absolute container path, e.g. \"./work:/workspace\"";
  }
  if (std::any_of(text.begin(), text.end(), is_control)) {
    return "must not contain control characters or line breaks";
  }
  return std::nullopt;
}

std::string mount_container_path(std::string_view text) {
  const size_t first = text.find(':');
  if (first == std::string_view::npos) {
    return {};
  }
  const std::string_view rest = text.substr(first + 1);
  return std::string(rest.substr(0, rest.find(':')));
}

Check check_ssh_host(std::string_view text) {
  if (!SshTarget::parse(text)) {
    return std::string("must be ssh://[user@]host[:port], e.g. ssh://whale@203.0.113.7");
  }
  return std::nullopt;
}

Check check_registry(std::string_view text) {
  constexpr std::string_view kShape =
      "must be host[:port][/path], e.g. us-west1-docker.pkg.dev/PROJECT/REPOSITORY";
  const size_t slash = text.find('/');
  const std::string_view host = text.substr(0, slash);
  if (!valid_host_port(host)) {
    return std::string(kShape);
  }
  if (host.find('.') == std::string_view::npos && host.find(':') == std::string_view::npos &&
      host != "localhost") {
    return fmt::format("has no registry host ('{}' is not a host name); {}", host, kShape);
  }
  if (slash != std::string_view::npos) {
    std::string_view path = text.substr(slash + 1);
    while (true) {
      const size_t next = path.find('/');
      const std::string_view component = path.substr(0, next);
      if (component.empty() || !is_lower_alnum(component.front()) || !all(component, [](char ch) {
            return is_lower_alnum(ch) || ch == '.' || ch == '_' || ch == '-';
          })) {
        return fmt::format("{} (path parts in lowercase letters, digits, '.', '_', '-')", kShape);
      }
      if (next == std::string_view::npos) {
        break;
      }
      path = path.substr(next + 1);
    }
  }
  return std::nullopt;
}

Check check_zone(std::string_view text) {
  // region-part(s), a part ending in the region number, then a one-letter zone suffix.
  const size_t last_dash = text.rfind('-');
  const bool shape_ok = last_dash != std::string_view::npos && last_dash > 0 &&
                        last_dash + 2 == text.size() && is_lower(text.back()) &&
                        is_digit(text[last_dash - 1]) && is_lower(text.front()) &&
                        text.find('-') < last_dash && text.find("--") == std::string_view::npos &&
                        all(text, [](char ch) { return is_lower_alnum(ch) || ch == '-'; });
  if (!shape_ok) {
    return "must be a Compute Engine zone, e.g. us-west1-b";
  }
  return std::nullopt;
}

Check check_gcp_project(std::string_view text) {
  std::string_view id = text;
  if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    const std::string_view domain = text.substr(0, colon);
    if (!valid_host(domain) || domain.find('.') == std::string_view::npos) {
      return "must be a project ID, e.g. learning-deeply (or example.com:project)";
    }
    id = text.substr(colon + 1);
  }
  if (id.size() < 6 || id.size() > 30 || !is_lower(id.front()) || id.back() == '-' ||
      !all(id, [](char ch) { return is_lower_alnum(ch) || ch == '-'; })) {
    return "must be a project ID: 6-30 lowercase letters, digits or '-', starting with a letter";
  }
  return std::nullopt;
}

Check check_gcp_resource_name(std::string_view text) {
  if (text.empty() || text.size() > 63 || !is_lower(text.front()) || text.back() == '-' ||
      !all(text, [](char ch) { return is_lower_alnum(ch) || ch == '-'; })) {
    return "must be lowercase letters, digits and '-', starting with a letter";
  }
  return std::nullopt;
}

}  // namespace deepdock::core::spec_values
