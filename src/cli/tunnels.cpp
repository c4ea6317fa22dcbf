#include "cli/tunnels.hpp"

#include <fmt/format.h>

#include <charconv>

#include "adapters/host/loopback_port.hpp"

namespace deepdock::cli {
namespace {

constexpr int kPortsToTry = 200;

std::string record_key(const core::SshTarget& target, uint16_t remote_port) {
  return fmt::format("tunnel-{}-{}", target.slug(), remote_port);
}

// `wanted` when it is free here, else the next free port above it.
Result<uint16_t> free_local_port(uint16_t wanted) {
  for (int offset = 0; offset < kPortsToTry && wanted + offset <= 65535; ++offset) {
    const auto port = static_cast<uint16_t>(wanted + offset);
    if (adapters::host::loopback_port_free(port)) {
      return port;
    }
  }
  return fail(ErrorCode::kPrecondition,
              fmt::format("no free port on this machine's 127.0.0.1 from {} to {}", wanted,
                          wanted + kPortsToTry - 1),
              "free one of them, or set ports: in deepdock.yaml");
}

Status tunnel(adapters::host::SshExecutor& ssh, core::StateStore& state, const char* what,
              std::optional<uint16_t>& port, std::vector<std::string>& notes) {
  if (!port) {
    return {};
  }
  const uint16_t remote = *port;
  const core::SshTarget& target = ssh.options().target;
  const auto recorded = recorded_tunnel(state, target, remote);
  // The recorded end is still ours while the connection that made it is open.
  if (recorded && !adapters::host::loopback_port_free(*recorded) && ssh.connected()) {
    notes.push_back(
        fmt::format("{} on {} is tunnelled to 127.0.0.1:{} here (the tunnel of an "
                    "earlier run, still open)",
                    what, ssh.where(), *recorded));
    port = *recorded;
    return {};
  }
  uint16_t local = 0;
  if (recorded && adapters::host::loopback_port_free(*recorded)) {
    local = *recorded;
  } else {
    TRY_ASSIGN(local, free_local_port(remote));
  }
  TRY(ssh.forward_port(local, remote));
  (void)state.write(record_key(target, remote), std::to_string(local));
  if (local != remote) {
    notes.push_back(
        fmt::format("{} answers on port {} of {}; that port is busy here, so the "
                    "tunnel ends at 127.0.0.1:{}",
                    what, remote, ssh.where(), local));
  } else {
    notes.push_back(
        fmt::format("{} on {} is tunnelled to 127.0.0.1:{} here", what, ssh.where(), local));
  }
  port = local;
  return {};
}

}  // namespace

std::optional<uint16_t> recorded_tunnel(core::StateStore& state, const core::SshTarget& target,
                                        uint16_t remote_port) {
  const auto text = state.read(record_key(target, remote_port));
  if (!text || !*text) {
    return std::nullopt;
  }
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars((*text)->data(), (*text)->data() + (*text)->size(), port);
  if (error != std::errc() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(port);
}

Status open_tunnels(adapters::host::SshExecutor& ssh, core::StateStore& state,
                    std::optional<uint16_t>& jupyter, std::optional<uint16_t>& tensorboard,
                    std::vector<std::string>& notes) {
  TRY(tunnel(ssh, state, "Jupyter", jupyter, notes));
  TRY(tunnel(ssh, state, "TensorBoard", tensorboard, notes));
  return {};
}

}  // namespace deepdock::cli
