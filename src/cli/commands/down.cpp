// `deepdock down`: stops and removes the environment's containers (only those deepdock
// labelled for it); --images and --volumes remove its images and anonymous volumes too.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"

namespace deepdock::cli::commands {
namespace {

struct DownFlags {
  std::string name;
  app::DownOptions options;
};

}  // namespace

CommandAction setup_down(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<DownFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_flag("--images", flags->options.images, "Also remove the environment's images");
  sub.add_flag("--volumes", flags->options.volumes,
               "Also remove the containers' anonymous volumes (bind mounts stay)");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::DownResult result,
               app::down_environment(*engine, *state, name, flags->options));
    if (global.json) {
      fmt::print("{}\n", nlohmann::json{{"environment", name},
                                        {"containers_removed", result.containers_removed},
                                        {"images_removed", result.images_removed},
                                        {"notes", result.notes}}
                             .dump(2));
      return {};
    }
    if (result.containers_removed.empty() && result.images_removed.empty()) {
      fmt::print("Nothing to remove: environment '{}' has no containers{}.\n", name,
                 flags->options.images ? " or images" : "");
    }
    for (const auto& container : result.containers_removed) {
      fmt::print("Removed container {}\n", container);
    }
    for (const auto& image : result.images_removed) {
      fmt::print("Removed image {}\n", image);
    }
    for (const auto& note : result.notes) {
      fmt::print("Note: {}\n", note);
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
