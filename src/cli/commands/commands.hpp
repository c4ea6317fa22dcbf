#pragma once
// Set-up functions of the commands, one file each under commands/.

#include <CLI/CLI.hpp>

#include "cli/command_table.hpp"

namespace deepdock::cli::commands {

CommandAction setup_up(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_down(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_status(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_shell(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_exec(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_logs(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_verify(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_plan(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_doctor(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_bootstrap(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_ship(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_tunnel(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_version(CLI::App& sub, const GlobalOptions& global);
CommandAction setup_idle_check(CLI::App& sub, const GlobalOptions& global);

}  // namespace deepdock::cli::commands
