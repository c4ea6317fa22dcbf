// `deepdock verify`: runs the probe in the environment's container again (device nodes,
// driver, a kernel and bandwidth on the GPU, then the framework's own op) and says whether
// the environment can use what it was built for.
// Exit 0 when it passes, 1 with the reason when it does not.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/verify_environment.hpp"
#include "cli/commands/commands.hpp"
#include "cli/embedded_probe.hpp"
#include "cli/engine_factory.hpp"
#include "cli/environment_name.hpp"
#include "cli/local_adapters.hpp"
#include "cli/output/probe_text.hpp"

namespace deepdock::cli::commands {
namespace {

struct VerifyFlags {
  std::string name;
};

nlohmann::json outcome_json(const app::VerifyOutcome& outcome) {
  nlohmann::json out = app::verification_json(outcome.verification);
  out["environment"] = outcome.environment.name;
  out["container"] = outcome.environment.container_name;
  out["gpu_environment"] = outcome.gpu_environment;
  return out;
}

}  // namespace

CommandAction setup_verify(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<VerifyFlags>();
  sub.add_option("-n,--name", flags->name, "The environment's name (default: the spec's)");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const std::string name, environment_name(global, flags->name));
    TRY_ASSIGN(auto engine, connect_engine(global));
    auto state = local_state_store();
    TRY_ASSIGN(const app::VerifyOutcome outcome,
               app::verify_environment(*engine, *state, name, embedded_probe(), now_utc()));
    const app::Verification& v = outcome.verification;
    if (global.json) {
      fmt::print("{}\n", outcome_json(outcome).dump(2));
    } else if (v.passed) {
      fmt::print("Environment '{}' is verified: {} {} ran its test op on {} ({:.1f} s){}.\n", name,
                 v.framework, v.version, v.device, v.seconds,
                 v.gpu_count > 0 ? fmt::format("; GPUs: {}", fmt::join(v.gpus, ", ")) : "");
      fmt::print("{}", probe_lines(v.native));
    }
    if (v.passed) {
      return {};
    }
    Error error{ErrorCode::kFailure,
                fmt::format("environment '{}' is not verified: {}", name, v.problem),
                "see `deepdock logs` and `deepdock shell`; `deepdock up` rebuilds what changed"};
    error.reported = global.json;
    return fail(std::move(error));
  };
}

}  // namespace deepdock::cli::commands
