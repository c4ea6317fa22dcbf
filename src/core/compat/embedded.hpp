#pragma once
// data/compat.json as built into the binary; defined in a file generated at build time
// (cmake/EmbedCompat.cmake).

#include <string_view>

namespace deepdock::core {

std::string_view embedded_compat_json();

}  // namespace deepdock::core
