#pragma once
// Helpers for the spec parser tests: problems as the lines a user sees.

#include <string>
#include <string_view>
#include <vector>

#include "core/spec/spec_parser.hpp"

namespace deepdock::core::testing {

inline std::vector<std::string> problem_lines(std::string_view yaml,
                                              std::string_view file = "deepdock.yaml") {
  std::vector<std::string> lines;
  for (const SpecProblem& problem : parse_spec_collect(yaml, file).problems) {
    lines.push_back(format_problem(problem, file));
  }
  return lines;
}

inline Spec parsed(std::string_view yaml) {
  auto spec = parse_spec(yaml, "deepdock.yaml");
  if (!spec) {
    return Spec{.name = "PARSE-FAILED: " + spec.error().message};
  }
  return *spec;
}

}  // namespace deepdock::core::testing
