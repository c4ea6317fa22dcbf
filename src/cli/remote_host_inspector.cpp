#include "cli/remote_host_inspector.hpp"

#include <fmt/format.h>

#include "app/host_agent.hpp"
#include "core/model/host_diagnosis_json.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {

core::HostDiagnosisFacts RemoteHostInspector::inspect(const std::string& images_dir) {
  auto facts = read(images_dir);
  if (!facts) {
    error_ = facts.error();
    return {};
  }
  return std::move(*facts);
}

Result<core::HostDiagnosisFacts> RemoteHostInspector::read(const std::string& images_dir) {
  core::HostCommand command{.argv = {app::kHostLauncher, "doctor", "--facts"}};
  if (!images_dir.empty()) {
    command.argv.insert(command.argv.end(), {"--images-dir", images_dir});
  }
  if (sudo_) {
    // Root reads what the driver and the engine keep to themselves (daemon.json, efivars).
    command.argv.insert(command.argv.begin(), {"sudo", "-n"});
  }
  TRY_ASSIGN(const core::HostCommandResult ran, ssh_.run(command));
  if (ran.exit_code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("reading {}'s facts with the deepdock there failed (exit {}): {}",
                            ssh_.where(), ran.exit_code, util::trim(ran.stderr_text)),
                "run `deepdock bootstrap --host " + ssh_.where() + "` to reinstall it");
  }
  const auto parsed = nlohmann::json::parse(ran.stdout_text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::kFailure,
                fmt::format("the deepdock on {} printed no facts: {}", ssh_.where(),
                            util::trim(ran.stdout_text).substr(0, 200)));
  }
  return core::host_diagnosis_from_json(parsed);
}

}  // namespace deepdock::cli
