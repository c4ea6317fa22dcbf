#include "cli/run.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "cli/command_table.hpp"
#include "cli/global_options.hpp"
#include "cli/output/error_report.hpp"
#include "util/cancel.hpp"

namespace deepdock::cli {

int run(int argc, char** argv) {
  util::install_cancel_handlers();

  CLI::App app{"deepdock: from a bare machine to a running, verified GPU deep-learning container",
               "deepdock"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the command
  GlobalOptions global;
  add_global_options(app, global);

  CommandAction chosen;
  for (const auto& row : command_table()) {
    CLI::App* sub = app.add_subcommand(std::string(row.name), std::string(row.summary));
    // Setup runs before parsing so the subcommand's flags exist; the callback only records
    // which action to run.
    auto action = std::make_shared<CommandAction>(row.setup(*sub, global));
    sub->callback([&chosen, action] { chosen = *action; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    fmt::print(stderr, "error: {}\n  hint: run `deepdock --help` for the commands and flags\n",
               error.what());
    return 2;
  }

  apply_logging(global);
  if (!chosen) {
    fmt::print(stderr, "error: no command given\n  hint: run `deepdock --help`\n");
    return 2;
  }

  Status status;
  try {
    status = chosen();
  } catch (const std::exception& unexpected) {
    // Adapters return errors as values; an exception here is a bug, reported plainly.
    report_error(Error{ErrorCode::kFailure, fmt::format("internal error: {}", unexpected.what()),
                       "please report this with the output of the same command and --debug"},
                 global.json);
    return 1;
  }
  if (!status) {
    Error error = status.error();
    if (util::cancel_requested() && error.code != ErrorCode::kCancelled) {
      error = Error{ErrorCode::kCancelled, "interrupted", "run the same command again to continue"};
    }
    if (!error.reported) {
      report_error(error, global.json);
    }
    return error.exit_code();
  }
  return util::cancel_requested() ? 130 : 0;
}

}  // namespace deepdock::cli
