// libFuzzer target: parse_spec_collect over arbitrary bytes. Beyond "never crashes" (the
// sanitizers), it checks what every caller relies on: a spec or problems, never both or
// neither, and every problem printable with a message.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/spec/spec_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const deepdock::core::SpecParseOutcome outcome =
      deepdock::core::parse_spec_collect(text, "fuzz.yaml");
  if (outcome.spec.has_value() == !outcome.problems.empty()) {
    std::abort();  // a spec together with problems, or neither
  }
  for (const deepdock::core::SpecProblem& problem : outcome.problems) {
    if (problem.message.empty() || deepdock::core::format_problem(problem, "fuzz.yaml").empty()) {
      std::abort();
    }
  }
  if (!outcome.problems.empty()) {
    // The folded error is what users see; build it too.
    const auto folded = deepdock::core::parse_spec(text, "fuzz.yaml");
    if (folded.has_value() || folded.error().message.empty()) {
      std::abort();
    }
  }
  return 0;
}
