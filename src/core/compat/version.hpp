#pragma once
// A dotted numeric version: framework releases ("2.15.1"), CUDA ("12.2"), Python ("3.11") and
// NVIDIA drivers ("525.60.13"). Compared part by part as numbers, missing parts as zero, so
// "3.9" < "3.10" and "2.15" == "2.15.0"; the text is kept as written for display.

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::core {

class Version {
 public:
  // One to four dot-separated numbers ("8", "2.15", "535.183.01"); nothing else.
  static std::optional<Version> parse(std::string_view text);

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] const std::vector<int>& parts() const { return parts_; }
  [[nodiscard]] size_t size() const { return parts_.size(); }
  [[nodiscard]] int major() const { return part(0); }
  [[nodiscard]] int minor() const { return part(1); }
  // The part at `index`, zero past the end.
  [[nodiscard]] int part(size_t index) const;

  // Whether this version starts with every part of `prefix`: 2.15.1 has the prefix 2.15.
  [[nodiscard]] bool has_prefix(const Version& prefix) const;
  // The first `count` parts: 2.15.1 -> 2.15.
  [[nodiscard]] Version truncated(size_t count) const;

  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b);

 private:
  std::string text_;
  std::vector<int> parts_;
};

// The version, for literals known to be valid in code and tests; aborts on malformed text.
Version version_of(std::string_view text);

}  // namespace deepdock::core
