#include "core/resolve/resolve_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

namespace {

void add_unique(std::vector<std::string>& lines, std::string line) {
  if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
    lines.push_back(std::move(line));
  }
}

}  // namespace

Reason make_reason(std::string subject, std::string choice, std::string why,
                   const Provenance& provenance) {
  return {std::move(subject), std::move(choice), std::move(why), provenance.cite(),
          provenance.unverified};
}

Violation make_violation(std::string constraint, std::string detail, const Provenance& provenance) {
  return {std::move(constraint), std::move(detail), provenance.cite(), provenance.unverified};
}

Outcome finish(Resolution resolution, const Context& ctx) {
  std::vector<std::string> warnings;
  for (const auto& line : ctx.warnings) {
    add_unique(warnings, line);
  }
  for (auto& line : resolution.warnings) {
    add_unique(warnings, std::move(line));
  }
  // One line per source: the choices that rest on its unconfirmed facts.
  std::vector<std::pair<std::string, std::vector<std::string>>> unverified;
  for (const auto& reason : resolution.reasons) {
    if (!reason.unverified) {
      continue;
    }
    auto group = std::find_if(unverified.begin(), unverified.end(),
                              [&](const auto& g) { return g.first == reason.source; });
    if (group == unverified.end()) {
      unverified.emplace_back(reason.source, std::vector<std::string>{});
      group = std::prev(unverified.end());
    }
    group->second.push_back(fmt::format("{} {}", reason.subject, reason.choice));
  }
  for (const auto& [source, choices] : unverified) {
    add_unique(warnings, fmt::format("unverified facts used for {}{}", util::join(choices, ", "),
                                     source.empty() ? "" : fmt::format(" [{}]", source)));
  }
  resolution.warnings = std::move(warnings);
  return resolution;
}

Outcome conflict(const Context& ctx, std::vector<Violation> violations,
                 std::vector<Alternative> alternatives) {
  Conflict out;
  // The same constraint found twice (two GPUs, two CUDA variants) is reported once.
  for (auto& v : violations) {
    const bool seen = std::any_of(out.violations.begin(), out.violations.end(),
                                  [&](const Violation& o) { return o.detail == v.detail; });
    if (!seen) {
      out.violations.push_back(std::move(v));
    }
  }
  out.alternatives = std::move(alternatives);
  for (const auto& line : ctx.warnings) {
    add_unique(out.warnings, line);
  }
  for (const auto& v : out.violations) {
    if (v.unverified) {
      add_unique(out.warnings, fmt::format("unverified fact used: {}: {}{}", v.constraint, v.detail,
                                           v.source.empty() ? "" : fmt::format(" [{}]", v.source)));
    }
  }
  return tl::unexpected(std::move(out));
}

std::string python_base_image(const Version& python) {
  return fmt::format("python:{}.{}-slim", python.major(), python.minor());
}

}  // namespace deepdock::core::resolve_detail
