#pragma once
// A Docker Engine API version ("1.41"): compared numerically, never as text.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace deepdock::core {

struct ApiVersion {
  int major = 1;
  int minor = 0;

  static std::optional<ApiVersion> parse(std::string_view text);
  [[nodiscard]] std::string str() const;
  auto operator<=>(const ApiVersion&) const = default;  // NOLINT(modernize-use-nullptr)
};

}  // namespace deepdock::core
