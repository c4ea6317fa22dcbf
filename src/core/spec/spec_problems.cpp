#include "core/spec/spec_problems.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace deepdock::core {

std::string format_problem(const SpecProblem& problem, std::string_view file_name) {
  std::string text = problem.location.line > 0
                         ? fmt::format("{}:{}:{}: {}", file_name, problem.location.line,
                                       problem.location.column, problem.message)
                         : fmt::format("{}: {}", file_name, problem.message);
  if (!problem.hint.empty()) {
    text += fmt::format(" ({})", problem.hint);
  }
  return text;
}

Error problems_to_error(std::vector<SpecProblem> problems, std::string_view file_name) {
  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
    if (a.location.line != b.location.line) {
      return a.location.line < b.location.line;
    }
    return a.location.column < b.location.column;
  });
  std::string message;
  for (const SpecProblem& problem : problems) {
    if (!message.empty()) {
      message += '\n';
    }
    message += format_problem(problem, file_name);
  }
  return Error{
      ErrorCode::kInvalidInput, std::move(message),
      fmt::format("fix {} {} in {}; every key, its type and default are described in "
                  "docs/spec.md",
                  problems.size() == 1 ? "this" : "these",
                  problems.size() == 1 ? "problem" : fmt::format("{} problems", problems.size()),
                  file_name)};
}

}  // namespace deepdock::core
