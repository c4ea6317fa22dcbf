// `deepdock logs [-f]`: the environment container's output (Jupyter's, TensorBoard's).
// As with `docker compose -f FILE logs -f`, -f after the command follows the output; the
// spec is named before the command (`deepdock -f x.yaml logs -f`) or with --file.
#include <fmt/format.h>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"
#include "cli/output/stream_output.hpp"
#include "util/cancel.hpp"

namespace deepdock::cli::commands {
namespace {

struct LogsFlags {
  std::string name;
  bool follow = false;
  bool timestamps = false;
  std::string tail = "all";
};

}  // namespace

CommandAction setup_logs(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<LogsFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_flag("-f,--follow", flags->follow,
               "Keep printing new output until Ctrl-C (name the spec before `logs`: "
               "deepdock -f x.yaml logs -f)");
  sub.add_flag("-t,--timestamps", flags->timestamps, "Prefix each line with its time");
  sub.add_option("--tail", flags->tail, "Only the last N lines (default all)")
      ->check(CLI::IsMember({"all"}) | CLI::PositiveNumber | CLI::IsMember({"0"}));
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::EnvironmentView view, app::find_environment(*engine, *state, name));
    core::LogOptions options;
    options.follow = flags->follow;
    options.timestamps = flags->timestamps;
    options.tail = flags->tail;
    auto streamed = engine->container_logs(view.container_id, options, write_container_output);
    if (!streamed && flags->follow && util::cancel_requested()) {
      return {};  // Ctrl-C is how `logs -f` ends; run() still exits 130
    }
    return streamed;
  };
}

}  // namespace deepdock::cli::commands
