#include "util/base64.hpp"

#include <openssl/evp.h>

#include <vector>

namespace deepdock::util {

std::string base64_encode(std::string_view data) {
  if (data.empty()) {
    return {};
  }
  std::vector<unsigned char> out(4 * ((data.size() + 2) / 3) + 1);
  const int written =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                      static_cast<int>(data.size()));
  return {reinterpret_cast<const char*>(out.data()), static_cast<size_t>(written)};
}

std::string base64url_encode(std::string_view data) {
  std::string out = base64_encode(data);
  for (char& ch : out) {
    if (ch == '+') {
      ch = '-';
    } else if (ch == '/') {
      ch = '_';
    }
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string normal;
  normal.reserve(text.size() + 3);
  for (const char ch : text) {
    if (ch == '-') {
      normal += '+';
    } else if (ch == '_') {
      normal += '/';
    } else if (ch == '\n' || ch == '\r') {
      continue;
    } else {
      normal += ch;
    }
  }
  while (normal.size() % 4 != 0) {
    normal += '=';
  }
  if (normal.empty()) {
    return std::string{};
  }
  std::vector<unsigned char> out(3 * normal.size() / 4 + 1);
  const int written =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(normal.data()),
                      static_cast<int>(normal.size()));
  if (written < 0) {
    return std::nullopt;
  }
  size_t size = static_cast<size_t>(written);
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  for (size_t i = normal.size(); i > 0 && normal[i - 1] == '='; --i) {
    --size;
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

}  // namespace deepdock::util
