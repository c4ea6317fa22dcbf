#include "app/gcp_deps.hpp"

#include <fmt/format.h>

#include "util/cancel.hpp"
#include "util/random.hpp"

namespace deepdock::app {

std::string format_uuid_v4(std::string_view hex32) {
  std::string hex(hex32.substr(0, 32));
  hex.resize(32, '0');
  hex[12] = '4';  // version 4
  // Variant 10xx: the top two bits of the 17th digit.
  constexpr std::string_view kDigits = "0123456789abcdef";
  const size_t nibble = kDigits.find(static_cast<char>(hex[16] | 0x20));
  hex[16] = kDigits[((nibble == std::string_view::npos ? 0 : nibble) & 0x3U) | 0x8U];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

std::string new_uuid_v4() {
  return format_uuid_v4(util::random_hex(16));
}

GcpDeps make_gcp_deps(core::CloudCompute& compute, core::StateStore& state, GcpObserver& observer) {
  return GcpDeps{
      compute,
      state,
      observer,
      [] { return GcpClock::now(); },
      [](std::chrono::milliseconds duration) { return util::sleep_unless_cancelled(duration); },
      [] { return new_uuid_v4(); }};
}

}  // namespace deepdock::app
