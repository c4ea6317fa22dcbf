// `deepdock status`: every deepdock environment on the engine, with its state, health,
// verification, GPUs and where Jupyter and TensorBoard answer. For a spec that targets
// Google Cloud, deepdock's VMs in the project come first, and the containers are read on the
// environment's VM while it runs.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/gcp_status.hpp"
#include "cli/local_adapters.hpp"
#include "cli/spec_loader.hpp"
#include "cli/ssh_connection.hpp"
#include "cli/tunnels.hpp"

namespace deepdock::cli::commands {
namespace {

using nlohmann::json;

std::string verified_words(const app::EnvironmentView& view) {
  if (view.state != "running") {
    return "-";
  }
  return view.verification ? "yes, " + view.verification->checked_at : "not since it started";
}

json view_json(const app::EnvironmentView& view) {
  json out = {{"name", view.name},
              {"container", {{"id", view.container_id}, {"name", view.container_name}}},
              {"state", view.state},
              {"health", view.health},
              {"started_at", view.started_at},
              {"image", view.image},
              {"framework", view.framework},
              {"framework_version", view.framework_version},
              {"gpus", view.gpus},
              {"gpu_mode", view.gpu_mode},
              {"network", view.network},
              {"spec_file", view.spec_file}};
  out["jupyter"] =
      view.jupyter_port
          ? json{{"port", *view.jupyter_port},
                 {"url", app::jupyter_url(view.jupyter_mode, view.jupyter_port, view.token)}}
          : json(nullptr);
  out["tensorboard"] =
      view.tensorboard_port
          ? json{{"port", *view.tensorboard_port},
                 {"url", fmt::format("http://127.0.0.1:{}/", *view.tensorboard_port)}}
          : json(nullptr);
  out["verification"] = view.verification ? json{{"passed", true},
                                                 {"checked_at", view.verification->checked_at},
                                                 {"device", view.verification->device},
                                                 {"gpu_count", view.verification->gpu_count}}
                                          : json(nullptr);
  return out;
}

}  // namespace

CommandAction setup_status(CLI::App& /*sub*/, const GlobalOptions& global) {
  return [&global]() -> Status {
    std::optional<GcpStatus> gcp;
    if (const auto loaded = load_spec(global.spec_file);
        loaded && loaded->spec.target.kind == core::TargetKind::kGcp) {
      TRY_ASSIGN(gcp, read_gcp_status(loaded->spec, loaded->origin));
      if (!global.json) {
        fmt::print("{}", gcp_status_text(*gcp, loaded->spec.name));
      }
      if (!gcp->environment_vm_running) {
        if (global.json) {
          json out = gcp_status_json(*gcp);
          out["environments"] = json::array();
          fmt::print("{}\n", out.dump(2));
        }
        return {};
      }
    }
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(auto environments, app::list_environments(*engine, *state));
    // On an SSH host the services are reached through the tunnels `up` opened.
    if (const auto target = ssh_target_of("", global.spec_file); target && *target) {
      for (auto& view : environments) {
        for (std::optional<uint16_t>* port : {&view.jupyter_port, &view.tensorboard_port}) {
          if (*port) {
            if (const auto local = recorded_tunnel(*state, **target, **port)) {
              *port = *local;
            }
          }
        }
      }
    }
    if (global.json) {
      json list = json::array();
      for (const auto& view : environments) {
        list.push_back(view_json(view));
      }
      json out = gcp ? gcp_status_json(*gcp) : json::object();
      out["environments"] = list;
      fmt::print("{}\n", out.dump(2));
      return {};
    }
    if (environments.empty()) {
      fmt::print("No deepdock environments on this engine. `deepdock up` starts one.\n");
      return {};
    }
    for (const auto& view : environments) {
      const std::string health = view.health.empty() ? "" : ", " + view.health;
      fmt::print("{}  {}{}  ({})\n", view.name, view.state, health, view.container_name);
      fmt::print("  framework    {} {}\n", view.framework.empty() ? "-" : view.framework,
                 view.framework_version);
      fmt::print(
          "  GPUs         {}{}\n", view.gpus,
          view.gpu_mode.empty() || view.gpu_mode == "none" ? "" : " (" + view.gpu_mode + ")");
      fmt::print("  verified     {}\n", verified_words(view));
      const std::string url = app::jupyter_url(view.jupyter_mode, view.jupyter_port, view.token);
      if (!url.empty()) {
        fmt::print("  Jupyter      {}\n", url);
      }
      if (view.tensorboard_port) {
        fmt::print("  TensorBoard  http://127.0.0.1:{}/\n", *view.tensorboard_port);
      }
      fmt::print("  image        {}\n", view.image);
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
