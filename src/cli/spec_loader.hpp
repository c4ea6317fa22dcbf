#pragma once
// Finds and reads the spec: -f FILE, else ./deepdock.yaml, else the default environment.
// Also reads the requirements file the spec names (relative to the spec's directory).

#include <string>

#include "core/spec/spec.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

struct LoadedSpec {
  core::Spec spec;
  std::string requirements_text;  // empty when the spec names none
  std::string origin;             // "deepdock.yaml", "examples/x.yaml", "default environment"
};

Result<LoadedSpec> load_spec(const std::string& file_flag);

}  // namespace deepdock::cli
