// `deepdock plan`: resolve the spec against the host and print the resolution, the
// generated Dockerfile and the steps `up` would take. Changes nothing.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/plan_environment.hpp"
#include "cli/commands/commands.hpp"
#include "cli/host_facts_source.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/output/resolution_text.hpp"
#include "cli/spec_loader.hpp"

namespace deepdock::cli::commands {
namespace {

struct PlanFlags {
  bool explain = false;
  std::string compat_file;
  std::vector<std::string> gpus;
  std::string driver;
};

}  // namespace

CommandAction setup_plan(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<PlanFlags>();
  sub.add_flag("--explain", flags->explain, "Say why each version, image and driver was chosen");
  sub.add_option("--compat", flags->compat_file,
                 "Use this compatibility knowledge base instead of the built-in one");
  sub.add_option("--gpu", flags->gpus,
                 "Plan for these GPUs instead of probing (repeatable), e.g. --gpu 'Tesla T4'");
  sub.add_option("--driver", flags->driver,
                 "Plan for this installed NVIDIA driver version, or 'none'");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const auto loaded, load_spec(global.spec_file));
    TRY_ASSIGN(const auto kb, load_knowledge_base(flags->compat_file));
    TRY_ASSIGN(auto host, host_facts_for(loaded.spec, flags->gpus, flags->driver, *kb));

    app::PlanRequest request{loaded.spec, std::move(host), loaded.requirements_text, ""};
    const app::EnvironmentPlan plan = app::plan_environment(request, *kb);
    if (global.json) {
      fmt::print("{}\n", plan_to_json(plan, loaded.origin, *kb).dump(2));
    } else {
      fmt::print("{}", plan_to_text(plan, loaded.origin, flags->explain, *kb));
    }
    if (plan.conflict) {
      Error error{
          ErrorCode::kIncompatible,
          fmt::format("no combination of versions works for {} on this host", loaded.origin),
          "see the conflicts and what would work instead above"};
      error.reported = global.json;  // the JSON document already holds the conflict
      return fail(std::move(error));
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
