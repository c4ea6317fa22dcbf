#pragma once
// The Python a spec asks for, checked against the range a framework build supports.
// Internal to the resolver.

#include <optional>
#include <string_view>

#include "core/compat/knowledge_base.hpp"
#include "core/model/resolution.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::core::resolve_detail {

struct PythonRange {
  Version min;
  Version max;
  bool python27 = false;  // Python 2.7 as well
};

// The spec's Python, or nullopt when it asks for none (or for something that is not a version).
std::optional<Version> requested_python(const Spec& spec);

bool python_in_range(const Version& python, const PythonRange& range);

// A violation when the spec's Python is outside the range (or not a version).
std::optional<Violation> check_python(const Spec& spec, std::string_view label,
                                      const PythonRange& range, const Provenance& provenance);

// "3.9-3.11", "2.7, 3.5-3.7"
std::string describe(const PythonRange& range);

}  // namespace deepdock::core::resolve_detail
