#include "util/redact.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <regex>
#include <vector>

#include "util/strings.hpp"

namespace deepdock::util {
namespace {

std::mutex& secrets_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string>& secrets() {
  static std::vector<std::string> values;
  return values;
}

struct Pattern {
  std::regex regex;
  const char* replacement;
};

const std::vector<Pattern>& patterns() {
  // $1 keeps the key, the value is masked.
  static const std::vector<Pattern> kPatterns = [] {
    const auto flags = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;
    std::vector<Pattern> list;
    // Header lines: "Authorization: Bearer x", "X-Registry-Auth: x", "Proxy-Authorization: ..."
    list.push_back(
        {std::regex(
             R"(((?:proxy-)?authorization|x-registry-auth|x-registry-config)(\s*:\s*)[^\r\n]*)",
             flags),
         "$1$2<redacted>"});
    // JSON string fields that carry secrets.
    list.push_back(
        {std::regex(
             R"re(("(?:password|secret|identitytoken|registrytoken|auth|access_token|refresh_token|id_token|private_key|client_secret|token)"\s*:\s*)"(?:[^"\\]|\\.)*")re",
             flags),
         R"($1"<redacted>")"});
    // Query parameters and key=value pairs.
    list.push_back(
        {std::regex(
             R"(((?:^|[?&\s])(?:access_token|refresh_token|id_token|client_secret|assertion|token|password|secret|sig)=)[^&\s"]*)",
             flags),
         "$1<redacted>"});
    // user:password@ in URLs.
    list.push_back(
        {std::regex(R"((\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@/\s]+@)", flags), "$1<redacted>@"});
    return list;
  }();
  return kPatterns;
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < 6) {
    return;
  }
  std::lock_guard lock(secrets_mutex());
  auto& values = secrets();
  if (std::find(values.begin(), values.end(), secret) == values.end()) {
    values.emplace_back(secret);
  }
}

void clear_registered_secrets() {
  std::lock_guard lock(secrets_mutex());
  secrets().clear();
}

std::string redact(std::string_view text) {
  std::string out(text);
  {
    std::lock_guard lock(secrets_mutex());
    for (const auto& secret : secrets()) {
      out = replace_all(out, secret, kRedacted);
    }
  }
  for (const auto& pattern : patterns()) {
    out = std::regex_replace(out, pattern.regex, pattern.replacement);
  }
  return out;
}

bool is_secret_header(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kSecret = {
      "authorization", "proxy-authorization", "x-registry-auth", "x-registry-config", "cookie"};
  const std::string lower = to_lower(name);
  return std::find(kSecret.begin(), kSecret.end(), lower) != kSecret.end();
}

}  // namespace deepdock::util
