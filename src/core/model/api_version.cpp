#include "core/model/api_version.hpp"

#include <fmt/format.h>

#include <charconv>

namespace deepdock::core {

std::optional<ApiVersion> ApiVersion::parse(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  ApiVersion version;
  const auto major_part = text.substr(0, dot);
  const auto minor_part = text.substr(dot + 1);
  auto [p1, e1] =
      std::from_chars(major_part.data(), major_part.data() + major_part.size(), version.major);
  auto [p2, e2] =
      std::from_chars(minor_part.data(), minor_part.data() + minor_part.size(), version.minor);
  if (e1 != std::errc{} || e2 != std::errc{} || p1 != major_part.data() + major_part.size() ||
      p2 != minor_part.data() + minor_part.size() || major_part.empty() || minor_part.empty()) {
    return std::nullopt;
  }
  return version;
}

std::string ApiVersion::str() const {
  return fmt::format("{}.{}", major, minor);
}

}  // namespace deepdock::core
