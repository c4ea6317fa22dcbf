#pragma once
// Base64 through OpenSSL's encoder. The URL-safe variant (RFC 4648 section 5, with '='
// padding) is what the Docker engine expects in X-Registry-Auth.

#include <optional>
#include <string>
#include <string_view>

namespace deepdock::util {

std::string base64_encode(std::string_view data);
std::string base64url_encode(std::string_view data);
// Accepts both alphabets, with or without padding; nullopt on malformed input.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace deepdock::util
