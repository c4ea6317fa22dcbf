#include "core/compat/version.hpp"

#include <charconv>
#include <cstdlib>

namespace deepdock::core {

namespace {
constexpr size_t kMaxParts = 4;
}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  Version version;
  version.text_ = std::string(text);
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    const std::string_view piece =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    int value = 0;
    const auto* end = piece.data() + piece.size();
    const auto [ptr, error] = std::from_chars(piece.data(), end, value);
    if (piece.empty() || piece.size() > 9 || error != std::errc() || ptr != end || value < 0) {
      return std::nullopt;
    }
    version.parts_.push_back(value);
    if (version.parts_.size() > kMaxParts) {
      return std::nullopt;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return version;
}

int Version::part(size_t index) const {
  return index < parts_.size() ? parts_[index] : 0;
}

bool Version::has_prefix(const Version& prefix) const {
  if (prefix.parts_.size() > parts_.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.parts_.size(); ++i) {
    if (parts_[i] != prefix.parts_[i]) {
      return false;
    }
  }
  return true;
}

Version Version::truncated(size_t count) const {
  Version out;
  for (size_t i = 0; i < count && i < parts_.size(); ++i) {
    out.parts_.push_back(parts_[i]);
    out.text_ += (i == 0 ? "" : ".") + std::to_string(parts_[i]);
  }
  return out;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  const size_t n = std::max(a.parts_.size(), b.parts_.size());
  for (size_t i = 0; i < n; ++i) {
    if (const auto order = a.part(i) <=> b.part(i); order != std::strong_ordering::equal) {
      return order;
    }
  }
  return std::strong_ordering::equal;
}

bool operator==(const Version& a, const Version& b) {
  return (a <=> b) == std::strong_ordering::equal;
}

Version version_of(std::string_view text) {
  auto version = Version::parse(text);
  if (!version) {
    std::abort();
  }
  return *version;
}

}  // namespace deepdock::core
