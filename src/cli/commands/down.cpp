// `deepdock down`: stops and removes the environment's containers (only those deepdock
// labelled for it); --images and --volumes remove its images and anonymous volumes too. On
// a Google Cloud VM it also stops the VM (the disk stays, `up` starts it again); --delete
// deletes the VM and its disk.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/environments.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/gcp_teardown.hpp"
#include "cli/local_adapters.hpp"
#include "cli/spec_loader.hpp"

namespace deepdock::cli::commands {
namespace {

struct DownFlags {
  std::string name;
  app::DownOptions options;
  bool delete_vm = false;
};

void print_result(const app::DownResult& result) {
  for (const auto& container : result.containers_removed) {
    fmt::print("Removed container {}\n", container);
  }
  for (const auto& image : result.images_removed) {
    fmt::print("Removed image {}\n", image);
  }
  for (const auto& note : result.notes) {
    fmt::print("Note: {}\n", note);
  }
}

nlohmann::json result_json(const std::string& name, const app::DownResult& result) {
  return {{"environment", name},
          {"containers_removed", result.containers_removed},
          {"images_removed", result.images_removed},
          {"notes", result.notes}};
}

Status down_gcp(const LoadedSpec& loaded, const std::string& name, const DownFlags& flags,
                const GlobalOptions& global) {
  TRY_ASSIGN(const GcpTeardown done,
             take_down_gcp_environment(loaded.spec, loaded.origin, name, flags.options,
                                       flags.delete_vm, global.quiet || global.json));
  if (global.json) {
    nlohmann::json out = result_json(name, done.containers);
    out["vm"] = {{"project", done.vm.project},
                 {"zone", done.vm.zone},
                 {"name", done.vm.name},
                 {"outcome", done.vm.outcome},
                 {"notes", done.vm.notes}};
    fmt::print("{}\n", out.dump(2));
    return {};
  }
  print_result(done.containers);
  if (done.vm.outcome == "none") {
    fmt::print("No VM of environment '{}' in project {}.\n", name, done.vm.project);
  } else {
    fmt::print("VM {} in {}: {}{}\n", done.vm.name, done.vm.zone, done.vm.outcome,
               done.vm.outcome == "stopped" || done.vm.outcome == "already stopped"
                   ? " (its disk is kept and still billed; `deepdock up` starts it, "
                     "`deepdock down --delete` deletes it)"
                   : "");
  }
  for (const auto& note : done.vm.notes) {
    fmt::print("Note: {}\n", note);
  }
  return {};
}

}  // namespace

CommandAction setup_down(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<DownFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  sub.add_flag("--images", flags->options.images, "Also remove the environment's images");
  sub.add_flag("--volumes", flags->options.volumes,
               "Also remove the containers' anonymous volumes (bind mounts stay)");
  sub.add_flag("--delete", flags->delete_vm,
               "Google Cloud: delete the VM and its disk instead of stopping it");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    if (const auto loaded = load_spec(global.spec_file);
        loaded && loaded->spec.target.kind == core::TargetKind::kGcp) {
      return down_gcp(*loaded, name, *flags, global);
    }
    if (flags->delete_vm) {
      return fail(ErrorCode::kInvalidInput,
                  "--delete deletes a Google Cloud VM, and this environment's spec targets none",
                  "leave out --delete; `deepdock down` removes the containers");
    }
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::DownResult result,
               app::down_environment(*engine, *state, name, flags->options));
    if (global.json) {
      fmt::print("{}\n", result_json(name, result).dump(2));
      return {};
    }
    if (result.containers_removed.empty() && result.images_removed.empty()) {
      fmt::print("Nothing to remove: environment '{}' has no containers{}.\n", name,
                 flags->options.images ? " or images" : "");
    }
    print_result(result);
    return {};
  };
}

}  // namespace deepdock::cli::commands
