// `deepdock doctor`: checks this host's chain from the GPU on PCI to the container engine's
// GPU support, and the driver the spec's CUDA needs; prints each finding with its fix. Exits
// 1 when any finding is an error.
#include "app/doctor.hpp"

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/host_inspector_source.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/output/doctor_report.hpp"
#include "cli/output/terminal.hpp"
#include "cli/spec_loader.hpp"

namespace deepdock::cli::commands {
namespace {

struct DoctorFlags {
  std::string compat_file;
};

Result<core::EngineInfo> engine_info() {
  TRY_ASSIGN(auto engine, connect_engine());
  return engine->info();
}

Result<app::SpecUnderTest> spec_under_test(const std::string& file_flag) {
  TRY_ASSIGN(auto loaded, load_spec(file_flag));
  return app::SpecUnderTest{std::move(loaded.spec), std::move(loaded.requirements_text),
                            std::move(loaded.origin)};
}

}  // namespace

CommandAction setup_doctor(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<DoctorFlags>();
  sub.add_option("--compat", flags->compat_file,
                 "Use this compatibility knowledge base instead of the built-in one");
  return [flags, &global]() -> Status {
    TRY_ASSIGN(const auto kb, load_knowledge_base(flags->compat_file));
    const std::vector<app::Finding> findings = app::run_doctor(
        *local_host_inspector(), engine_info(), spec_under_test(global.spec_file), *kb);
    if (global.json) {
      fmt::print("{}\n", doctor_to_json(findings).dump(2));
    } else {
      fmt::print("{}", doctor_to_text(findings, use_color(stdout)));
    }
    if (!app::has_errors(findings)) {
      return {};
    }
    Error error{ErrorCode::kFailure, "the host has problems", "see the findings and their fixes"};
    error.reported = true;  // the findings above say what and how to fix it
    return fail(std::move(error));
  };
}

}  // namespace deepdock::cli::commands
