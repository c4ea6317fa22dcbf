#include "cli/vm_pull.hpp"

#include <fmt/format.h>

#include "adapters/docker/endpoint.hpp"
#include "adapters/docker/registry_auth.hpp"
#include "core/bootstrap/registry_step.hpp"
#include "core/model/image_ref.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

Status pull_there(core::HostExecutor& vm, const std::string& image) {
  // The login user is in the docker group once bootstrapped; root's docker has the same
  // credential helper, for a session older than the group.
  TRY_ASSIGN(const core::HostCommandResult pulled,
             vm.run({.argv = {"sh", "-c", R"(docker pull -q "$1" || sudo -n docker pull -q "$1")",
                              "sh", image},
                     .timeout = std::chrono::hours(1)}));
  if (pulled.exit_code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("{} could not pull {}: {}", vm.where(), image,
                            util::last_lines(pulled.stderr_text + pulled.stdout_text, 4)),
                "the VM's service account needs read access to the registry "
                "(roles/artifactregistry.reader); `deepdock bootstrap --check` repairs its "
                "credential helper");
  }
  return {};
}

}  // namespace

Result<PullOnTarget> vm_pull_for(const std::string& registry, core::HostExecutor& vm) {
  TRY_ASSIGN(const core::ImageRef ref, core::ImageRef::parse(registry + "/probe:latest"));
  if (!core::is_google_registry_host(ref.registry)) {
    const adapters::docker::RegistryAuth auth(
        adapters::docker::docker_config_dir(adapters::docker::process_env()));
    TRY_ASSIGN(const auto credentials, auth.lookup(ref.auth_key()));
    if (credentials) {
      return PullOnTarget();  // this machine's credentials, through the Engine API
    }
  }
  return PullOnTarget([&vm](const std::string& image) { return pull_there(vm, image); });
}

}  // namespace deepdock::cli
