#include "core/resolve/python_choice.hpp"

#include <fmt/format.h>

namespace deepdock::core::resolve_detail {

std::optional<Version> requested_python(const Spec& spec) {
  if (spec.python.empty()) {
    return std::nullopt;
  }
  return Version::parse(spec.python);
}

bool python_in_range(const Version& python, const PythonRange& range) {
  const Version minor = python.truncated(2);
  if (range.python27 && minor == version_of("2.7")) {
    return true;
  }
  return minor >= range.min.truncated(2) && minor <= range.max.truncated(2);
}

std::optional<Violation> check_python(const Spec& spec, std::string_view label,
                                      const PythonRange& range, const Provenance& provenance) {
  if (spec.python.empty()) {
    return std::nullopt;
  }
  const auto python = requested_python(spec);
  if (!python) {
    return Violation{"python", fmt::format("python '{}' is not a version", spec.python), "", false};
  }
  if (python_in_range(*python, range)) {
    return std::nullopt;
  }
  return Violation{"python",
                   fmt::format("{} supports Python {}; the spec asks for {}", label,
                               describe(range), spec.python),
                   provenance.cite(), provenance.unverified};
}

std::string describe(const PythonRange& range) {
  return fmt::format("{}{}-{}", range.python27 ? "2.7, " : "", range.min.text(), range.max.text());
}

}  // namespace deepdock::core::resolve_detail
