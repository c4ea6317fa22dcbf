// `deepdock doctor`: checks a host's chain from the GPU on PCI to the container engine's GPU
// support, and the driver the spec's CUDA needs; prints each finding with its fix. Exits 1
// when any finding is an error. This machine, or an SSH host (--host, or the spec's target),
// whose files the deepdock copied there reads.
#include "app/doctor.hpp"

#include <fmt/format.h>

#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "cli/host_bootstrap.hpp"
#include "cli/host_inspector_source.hpp"
#include "cli/knowledge_base_source.hpp"
#include "cli/output/doctor_report.hpp"
#include "cli/output/terminal.hpp"
#include "cli/remote_host_inspector.hpp"
#include "cli/spec_loader.hpp"
#include "cli/ssh_connection.hpp"
#include "core/model/host_diagnosis_json.hpp"
#include "util/strings.hpp"

namespace deepdock::cli::commands {
namespace {

struct DoctorFlags {
  std::string compat_file;
  std::string host;
  bool facts = false;  // hidden: print this host's facts as JSON (run on an SSH host)
  std::string images_dir;
};

Result<core::EngineInfo> engine_info(const std::optional<core::SshTarget>& target) {
  TRY_ASSIGN(auto engine, connect_engine(target));
  return engine->info();
}

// The findings for an SSH host: deepdock there reads its files, this side judges them.
Result<std::vector<app::Finding>> remote_findings(const core::SshTarget& target,
                                                  Result<app::SpecUnderTest> spec,
                                                  const core::KnowledgeBase& kb, bool quiet) {
  const auto ssh = ssh_executor(target);
  TRY(ssh->connect());
  TRY_ASSIGN(const core::HostCommandResult whoami, ssh->run({.argv = {"id", "-un"}}));
  const bool sudo = util::trim(whoami.stdout_text) != "root";
  TRY_ASSIGN(const std::string unusable, install_self_on_host(*ssh, sudo, quiet));
  if (!unusable.empty()) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("doctor reads {} with deepdock itself, and {}", target.url(), unusable),
                "run deepdock on a machine of the host's architecture, or on the host itself");
  }
  RemoteHostInspector inspector(*ssh, sudo);
  std::vector<app::Finding> findings =
      app::run_doctor(inspector, engine_info(target), std::move(spec), kb);
  if (inspector.error()) {
    return fail(*inspector.error());
  }
  return findings;
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
  sub.add_option("--host", flags->host,
                 "ssh://[user@]host[:port] to check (default: the spec's target, else here)");
  sub.add_flag("--facts", flags->facts)->group("");  // hidden: the SSH side of doctor
  sub.add_option("--images-dir", flags->images_dir)->group("");
  return [flags, &global]() -> Status {
    if (flags->facts) {
      fmt::print(
          "{}\n",
          core::host_diagnosis_to_json(local_host_inspector()->inspect(flags->images_dir)).dump());
      return {};
    }
    TRY_ASSIGN(const auto kb, load_knowledge_base(flags->compat_file));
    TRY_ASSIGN(const auto target, ssh_target_of(flags->host, global.spec_file));
    std::vector<app::Finding> findings;
    if (target) {
      TRY_ASSIGN(findings, remote_findings(*target, spec_under_test(global.spec_file), *kb,
                                           global.quiet || global.json));
    } else {
      findings = app::run_doctor(*local_host_inspector(), engine_info(std::nullopt),
                                 spec_under_test(global.spec_file), *kb);
    }
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
