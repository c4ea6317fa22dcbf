#pragma once
// Builds the real container engine client: for a spec's ssh target, or from the user's
// environment: DOCKER_HOST, the current Docker context, DOCKER_CERT_PATH/DOCKER_TLS_VERIFY
// and DOCKER_API_VERSION.

#include <memory>
#include <optional>

#include "cli/global_options.hpp"
#include "core/model/ssh_target.hpp"
#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

// The engine of `ssh_target` when set: its socket (/var/run/docker.sock) forwarded over the
// shared SSH connection to a local one. Otherwise the user's environment decides, and a
// DOCKER_HOST=ssh://user@host is forwarded the same way.
Result<std::unique_ptr<core::ContainerEngine>> connect_engine(
    const std::optional<core::SshTarget>& ssh_target = std::nullopt);

// The engine of the spec the command runs on (-f, ./deepdock.yaml): its ssh target's, else
// the local one. A spec that does not load means the local engine: commands that take an
// environment's name still work.
Result<std::unique_ptr<core::ContainerEngine>> connect_engine(const GlobalOptions& global);

}  // namespace deepdock::cli
