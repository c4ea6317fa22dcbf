#pragma once
// Problems found in a spec file. Validation collects every problem before reporting, so a
// user fixes the whole file in one pass; each carries the file:line:col it points at.

#include <string>
#include <string_view>
#include <vector>

#include "core/spec/spec.hpp"
#include "util/error.hpp"

namespace deepdock::core {

struct SpecProblem {
  SourceLocation location;  // 1-based; line 0 = the file as a whole
  std::string key;          // dotted path: "target.gcp.zones", "framework"
  std::string message;      // "unknown key 'framwork'"
  std::string hint;         // "did you mean 'framework'?"; may be empty
};

// "deepdock.yaml:3:1: unknown key 'framwork' (did you mean 'framework'?)"
std::string format_problem(const SpecProblem& problem, std::string_view file_name);

// Every problem, one line each, in file order, as ErrorCode::kInvalidInput (exit code 2).
Error problems_to_error(std::vector<SpecProblem> problems, std::string_view file_name);

}  // namespace deepdock::core
