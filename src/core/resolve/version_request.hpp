#pragma once
// The framework version a spec asks for: nothing (the newest that works on the host),
// "latest" (the newest release, floating image tags), or a version prefix ("2.15" = the newest
// 2.15.x, "2.15.0" = exactly that). Internal to the resolver.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/resolution.hpp"

namespace deepdock::core::resolve_detail {

struct VersionRequest {
  enum class Kind { kNewest, kLatest, kPrefix };
  Kind kind = Kind::kNewest;
  Version prefix;
  std::string text;
};

// nullopt when the text is neither empty, "latest" nor a version.
std::optional<VersionRequest> parse_version_request(std::string_view text);

// The known releases closest to `text`, for a message: up to three below and two above.
std::vector<std::string> nearby_versions(const Version& wanted, const std::vector<Version>& known);

// "TensorFlow 2.22 is not in the knowledge base (snapshot 2026-09); nearest: 2.20.0, 2.21.0".
Violation unknown_version(std::string_view framework, std::string_view text,
                          const std::vector<Version>& known, const KnowledgeBase& kb);

}  // namespace deepdock::core::resolve_detail
