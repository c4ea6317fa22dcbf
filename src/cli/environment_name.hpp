#pragma once
// Which environment a command acts on: --name when given, else the name in the spec that
// -f (or ./deepdock.yaml, or the default environment) gives.

#include <string>

#include "cli/global_options.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

Result<std::string> environment_name(const GlobalOptions& global, const std::string& name_flag);

}  // namespace deepdock::cli
