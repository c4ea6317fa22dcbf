#pragma once
// Loads the one YAML document of a spec file with yaml-cpp, guarding against its known
// failure modes so that any input gives a tree or a problem. Internal to the spec parser.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string_view>

#include "core/spec/spec_problems.hpp"

namespace deepdock::core::spec_yaml {

struct LoadedDocument {
  YAML::Node root;                     // null for an empty file
  std::optional<SpecProblem> problem;  // set instead of a usable root
};

LoadedDocument load_one_document(std::string_view text);

}  // namespace deepdock::core::spec_yaml
