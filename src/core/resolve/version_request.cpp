#include "core/resolve/version_request.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

std::optional<VersionRequest> parse_version_request(std::string_view text) {
  VersionRequest request;
  request.text = std::string(util::trim(text));
  if (request.text.empty()) {
    return request;
  }
  if (util::iequals(request.text, "latest")) {
    request.kind = VersionRequest::Kind::kLatest;
    return request;
  }
  auto version = Version::parse(request.text);
  if (!version) {
    return std::nullopt;
  }
  request.kind = VersionRequest::Kind::kPrefix;
  request.prefix = *version;
  return request;
}

std::vector<std::string> nearby_versions(const Version& wanted, const std::vector<Version>& known) {
  std::vector<Version> sorted = known;
  std::sort(sorted.begin(), sorted.end());
  const auto split = std::lower_bound(sorted.begin(), sorted.end(), wanted);
  const auto below = std::distance(sorted.begin(), split);
  const auto first = split - std::min<std::ptrdiff_t>(below, 3);
  const auto last = split + std::min<std::ptrdiff_t>(std::distance(split, sorted.end()), 2);
  std::vector<std::string> out;
  for (auto it = first; it != last; ++it) {
    out.push_back(it->text());
  }
  return out;
}

Violation unknown_version(std::string_view framework, std::string_view text,
                          const std::vector<Version>& known, const KnowledgeBase& kb) {
  const auto wanted = Version::parse(text);
  const std::vector<std::string> nearby =
      wanted ? nearby_versions(*wanted, known) : std::vector<std::string>{};
  return {"version",
          fmt::format(
              "{} {} is not in the knowledge base (snapshot {}){}", framework, text, kb.snapshot(),
              nearby.empty() ? std::string()
                             : fmt::format("; nearest known: {}", util::join(nearby, ", "))),
          "", false};
}

}  // namespace deepdock::core::resolve_detail
