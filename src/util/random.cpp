#include "util/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace deepdock::util {

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    // OpenSSL cannot seed itself only on a broken system; nothing sensible can follow.
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure random source");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (const unsigned char byte : buffer) {
    out.push_back(kDigits[byte >> 4U]);
    out.push_back(kDigits[byte & 0x0fU]);
  }
  return out;
}

}  // namespace deepdock::util
