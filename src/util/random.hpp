#pragma once
// Secrets made by deepdock (the Jupyter token), from OpenSSL's CSPRNG.

#include <cstddef>
#include <string>

namespace deepdock::util {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string random_hex(size_t bytes);

}  // namespace deepdock::util
