#pragma once
// Tunnels from this machine to the services of an environment on an SSH host: Jupyter and
// TensorBoard bind to the host's 127.0.0.1, and each is forwarded through the shared SSH
// connection to the same port here, or to the next free one when that port is busy here
// (said in a note). The local end is recorded in the state directory, so a second `up`
// reuses a tunnel that is still open and `status` shows the local URL.

#include <cstdint>
#include <optional>
#include <vector>

#include "adapters/host/ssh_executor.hpp"
#include "core/ports/state_store.hpp"

namespace deepdock::cli {

// Opens (or reuses) the tunnels to the host's `jupyter` and `tensorboard` ports (either may
// be unset), rewrites them to the local ends and appends notes.
Status open_tunnels(adapters::host::SshExecutor& ssh, core::StateStore& state,
                    std::optional<uint16_t>& jupyter, std::optional<uint16_t>& tensorboard,
                    std::vector<std::string>& notes);

// The local end recorded for `remote_port` of `target`, if any.
std::optional<uint16_t> recorded_tunnel(core::StateStore& state, const core::SshTarget& target,
                                        uint16_t remote_port);

}  // namespace deepdock::cli
