#pragma once
// The SSH side of the commands: which host a command is about (--host, else the spec's
// target), and the SshExecutor for it, with its connections kept in the state directory and
// DEEPDOCK_SSH_CONFIG as an ssh config file to use instead of ~/.ssh/config.

#include <memory>
#include <optional>
#include <string>

#include "adapters/host/ssh_executor.hpp"
#include "core/model/ssh_target.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

// The host of `--host ssh://…` when given, else of the spec's `target: ssh://…`; nullopt when
// the target is this machine.
Result<std::optional<core::SshTarget>> ssh_target_of(const std::string& host_flag,
                                                     const std::string& spec_file);

std::unique_ptr<adapters::host::SshExecutor> ssh_executor(const core::SshTarget& target);

}  // namespace deepdock::cli
