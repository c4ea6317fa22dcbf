#pragma once
// Parses and validates deepdock.yaml (docs/spec.md). Every problem in the file is reported
// at once, each with file:line:col, a did-you-mean for unknown keys and the allowed values
// for bad ones. Never throws.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/spec/spec.hpp"
#include "core/spec/spec_problems.hpp"
#include "util/error.hpp"

namespace deepdock::core {

// The spec, or ErrorCode::kInvalidInput whose message lists every problem, one per line, as
// "<file>:<line>:<col>: <message> (<hint>)", and whose hint points at docs/spec.md.
// An empty file, or one holding only comments, is the default environment.
Result<Spec> parse_spec(std::string_view yaml_text, std::string_view file_name);

// The same, with the problems as values (tests, --json). `spec` is set when there are none;
// `problems` are in file order.
struct SpecParseOutcome {
  std::optional<Spec> spec;
  std::vector<SpecProblem> problems;
};
SpecParseOutcome parse_spec_collect(std::string_view yaml_text, std::string_view file_name);

// No spec file: the default environment (TensorFlow, the newest release that fits, gpu auto,
// JupyterLab, on this machine). `file` is empty.
Spec default_spec();

// Every key the spec accepts, as dotted paths ("target.gcp.zones"), in documentation order.
std::vector<std::string> spec_keys();

}  // namespace deepdock::core
