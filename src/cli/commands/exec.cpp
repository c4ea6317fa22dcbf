// `deepdock exec -- CMD...`: runs a command in the environment's container, streaming its
// output, and exits with the command's exit code. -i passes stdin through.
#include <fmt/format.h>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"
#include "cli/output/stream_output.hpp"

namespace deepdock::cli::commands {
namespace {

struct ExecFlags {
  std::string name;
  std::string user;
  std::string workdir;
  std::vector<std::string> env;
  bool interactive = false;
  std::vector<std::string> command;
};

Status exit_with(int64_t code) {
  if (code == 0) {
    return {};
  }
  Error error{ErrorCode::kFailure, fmt::format("the command exited with {}", code), ""};
  error.reported = true;  // the command's own output says why
  error.exit_status = static_cast<int>(code);
  return fail(std::move(error));
}

}  // namespace

CommandAction setup_exec(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<ExecFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_option("-u,--user", flags->user, "Run as this user (default: the image's, uid 1000)");
  sub.add_option("-w,--workdir", flags->workdir, "Working directory in the container");
  sub.add_option("-e,--env", flags->env, "Set KEY=value in the command's environment");
  sub.add_flag("-i,--interactive", flags->interactive, "Pass this process's stdin to the command");
  sub.add_option("command", flags->command, "The command and its arguments, after --")->required();
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::EnvironmentView view, app::running_environment(*engine, *state, name));
    const core::ExecSpec spec{.cmd = flags->command,
                              .env = flags->env,
                              .working_dir = flags->workdir,
                              .user = flags->user};
    if (flags->interactive) {
      core::AttachedExecSpec attached;
      attached.exec = spec;
      TRY_ASSIGN(const int64_t code, engine->exec_attached(view.container_id, attached));
      return exit_with(code);
    }
    TRY_ASSIGN(const core::ExecResult result,
               engine->exec(view.container_id, spec, write_container_output));
    return exit_with(result.exit_code);
  };
}

}  // namespace deepdock::cli::commands
