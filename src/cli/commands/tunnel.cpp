// `deepdock tunnel`: forwards this machine's loopback to the Jupyter and TensorBoard of an
// environment on an SSH host (the same ports, or the next free ones), prints the URLs, and
// holds the tunnels open until Ctrl-C. `up` opens the same tunnels; this reopens them after
// the connection closed (a laptop that slept, ten idle minutes) and keeps them.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"
#include "cli/ssh_connection.hpp"
#include "cli/tunnels.hpp"
#include "util/cancel.hpp"

namespace deepdock::cli::commands {
namespace {

struct TunnelFlags {
  std::string name;
  bool no_wait = false;
};

}  // namespace

CommandAction setup_tunnel(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<TunnelFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_flag("--no-wait", flags->no_wait,
               "Open the tunnels and return; they close ten minutes after their last use");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(const auto target, ssh_target_of("", global.spec_file));
    TRY_ASSIGN(auto engine, connect_engine(target));
    auto state = local_state_store();
    TRY_ASSIGN(app::EnvironmentView view, app::running_environment(*engine, *state, name));
    std::vector<std::string> notes;
    std::unique_ptr<adapters::host::SshExecutor> ssh;
    if (target) {
      ssh = ssh_executor(*target);
      TRY(open_tunnels(*ssh, *state, view.jupyter_port, view.tensorboard_port, notes));
    } else {
      notes.emplace_back("the environment runs on this machine: no tunnel is needed");
    }
    const std::string jupyter = app::jupyter_url(view.jupyter_mode, view.jupyter_port, view.token);
    const std::string tensorboard =
        view.tensorboard_port ? fmt::format("http://127.0.0.1:{}/", *view.tensorboard_port) : "";
    if (global.json) {
      fmt::print("{}\n", nlohmann::json{{"environment", name},
                                        {"jupyter", jupyter},
                                        {"tensorboard", tensorboard},
                                        {"notes", notes}}
                             .dump(2));
    } else {
      if (!jupyter.empty()) {
        fmt::print("  Jupyter      {}\n", jupyter);
      }
      if (!tensorboard.empty()) {
        fmt::print("  TensorBoard  {}\n", tensorboard);
      }
      for (const std::string& note : notes) {
        fmt::print("  - {}\n", note);
      }
    }
    if (!ssh || flags->no_wait) {
      return {};
    }
    if (!global.json) {
      fmt::print("Tunnels open; Ctrl-C closes them.\n");
    }
    std::fflush(stdout);
    Status held = ssh->hold();
    if (!held && held.error().code == ErrorCode::kCancelled) {
      util::reset_cancel();  // Ctrl-C is how the user ends it: a normal end, exit 0
      return {};
    }
    return held;
  };
}

}  // namespace deepdock::cli::commands
