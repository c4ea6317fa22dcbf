#include "cli/command_table.hpp"

#include <array>

#include "cli/commands/commands.hpp"

namespace deepdock::cli {

std::span<const CommandRow> command_table() {
  static const std::array<CommandRow, 2> kCommands = {{
      {"plan", "Resolve the spec and print the versions, the Dockerfile and the steps of `up`",
       commands::setup_plan},
      {"version", "Show deepdock's version, the container engine and its GPU support",
       commands::setup_version},
  }};
  return kCommands;
}

}  // namespace deepdock::cli
