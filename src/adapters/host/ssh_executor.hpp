#pragma once
// HostExecutor over the OpenSSH client (ssh_options.hpp): commands run on the target through
// one multiplexed connection, and a unix socket of the target (the engine's) can be
// forwarded to a local one, so the Engine API client talks to a remote engine as if it were
// local.

#include <cstdint>
#include <filesystem>
#include <string>

#include "adapters/host/ssh_options.hpp"
#include "core/ports/host_executor.hpp"

namespace deepdock::adapters::host {

class SshExecutor : public core::HostExecutor {
 public:
  explicit SshExecutor(SshOptions options);

  [[nodiscard]] std::string where() const override { return options_.target.url(); }
  Result<core::HostCommandResult> run(const core::HostCommand& command) override;
  Result<int> run_streaming(const core::HostCommand& command,
                            const std::function<void(std::string_view)>& on_line) override;

  // Opens the shared connection (or finds it open): the first use pays for the handshake,
  // later commands reuse it.
  Status connect();
  // Forwards the target's unix socket `remote_path` to a local socket in the control
  // directory and returns its path; `name` tells forwards of one target apart.
  Result<std::filesystem::path> forward_socket(const std::string& remote_path,
                                               const std::string& name);
  // Forwards 127.0.0.1:local_port here to 127.0.0.1:remote_port on the target (a tunnel to
  // a service bound to the host's loopback).
  Status forward_port(uint16_t local_port, uint16_t remote_port);
  // Holds a session on the shared connection until it ends or deepdock is interrupted
  // (Ctrl-C: kCancelled), which keeps the connection and its forwards open meanwhile.
  Status hold();
  // Whether the shared connection is open (and so are the forwards made through it).
  bool connected();
  // Closes the shared connection (and its forwards).
  Status disconnect();

  [[nodiscard]] const SshOptions& options() const { return options_; }

 private:
  // The control directory, created 0700 before the first connection.
  Status prepare_control_dir();

  SshOptions options_;
  bool control_dir_ready_ = false;
};

}  // namespace deepdock::adapters::host
