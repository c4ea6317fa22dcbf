#pragma once
// The command table: one row per command, like ninja's tool table. Each command lives in
// its own file under commands/ and exposes a register function.

#include <CLI/CLI.hpp>
#include <functional>
#include <span>
#include <string_view>

#include "cli/global_options.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

// What a registered command runs once parsing succeeded.
using CommandAction = std::function<Status()>;

struct CommandRow {
  std::string_view name;
  std::string_view summary;
  // Adds the subcommand's own flags and returns the action to run when it is chosen.
  std::function<CommandAction(CLI::App& sub, const GlobalOptions& global)> setup;
};

std::span<const CommandRow> command_table();

}  // namespace deepdock::cli
