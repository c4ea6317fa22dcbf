// `deepdock shell`: an interactive shell in the environment's container. On a terminal the
// container gets a pseudo-terminal of the same size, resized with the window, and the
// local terminal is raw, so Ctrl-C and Ctrl-D reach the shell as they would locally; with
// stdin from a pipe the shell reads its commands from it. Exits with the shell's status.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"
#include "cli/output/raw_terminal.hpp"

namespace deepdock::cli::commands {
namespace {

struct ShellFlags {
  std::string name;
  std::string user;
  std::vector<std::string> command;
};

// bash when the image has it (a login shell, so the venv's PATH and the user's profile
// apply), else sh.
std::vector<std::string> default_shell() {
  return {"/bin/sh", "-c",
          "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi"};
}

}  // namespace

CommandAction setup_shell(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<ShellFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_option("-u,--user", flags->user, "Run as this user (default: the image's, uid 1000)");
  sub.add_option("command", flags->command,
                 "Run this instead of a login shell (after --), e.g. -- python3");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::EnvironmentView view, app::running_environment(*engine, *state, name));

    core::AttachedExecSpec spec;
    spec.exec.cmd = flags->command.empty() ? default_shell() : flags->command;
    spec.exec.user = flags->user;
    const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1;
    spec.tty = terminal;
    std::unique_ptr<RawTerminal> raw;
    std::optional<TerminalResizeWatch> watch;
    if (terminal) {
      const char* term = std::getenv("TERM");  // NOLINT(concurrency-mt-unsafe)
      spec.exec.env.push_back(fmt::format("TERM={}", term != nullptr ? term : "xterm"));
      spec.size = terminal_size(STDOUT_FILENO).value_or(core::TerminalSize{24, 80});
      watch.emplace(STDOUT_FILENO);
      spec.resized = watch->callback();
      TRY_ASSIGN(raw, RawTerminal::enter(STDIN_FILENO));
    }
    auto code = engine->exec_attached(view.container_id, spec);
    raw.reset();  // the terminal is restored before anything is printed
    TRY_ASSIGN(const int64_t exit_code, std::move(code));
    if (exit_code == 0) {
      return {};
    }
    Error error{ErrorCode::kFailure, fmt::format("the shell exited with {}", exit_code), ""};
    error.reported = true;
    error.exit_status = static_cast<int>(exit_code);
    return fail(std::move(error));
  };
}

}  // namespace deepdock::cli::commands
