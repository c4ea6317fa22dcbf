#include "cli/command_table.hpp"

#include <array>

#include "cli/commands/commands.hpp"

namespace deepdock::cli {

std::span<const CommandRow> command_table() {
  static const std::array<CommandRow, 14> kCommands = {{
      {"up", "Build, start and verify the environment: Jupyter and TensorBoard on 127.0.0.1",
       commands::setup_up},
      {"down", "Stop and remove the environment's containers (--images, --volumes: those too)",
       commands::setup_down},
      {"status", "List the environments with their state, health, GPUs and URLs",
       commands::setup_status},
      {"shell", "Open an interactive shell in the environment's container", commands::setup_shell},
      {"exec", "Run a command in the environment's container: deepdock exec -- CMD...",
       commands::setup_exec},
      {"logs", "Print the container's output (-f to follow)", commands::setup_logs},
      {"verify",
       "Run the framework check in the environment's container again: an op on the GPU, or "
       "the reason it cannot",
       commands::setup_verify},
      {"plan", "Resolve the spec and print the versions, the Dockerfile and the steps of `up`",
       commands::setup_plan},
      {"doctor",
       "Check the host from the GPU to the engine's GPU support; each problem with its fix",
       commands::setup_doctor},
      {"bootstrap",
       "Prepare a host (--host ssh://user@host, or this machine): Docker, and for NVIDIA GPUs "
       "the driver, the container toolkit and the engine's runtime; resumable",
       commands::setup_bootstrap},
      {"ship", "Send an image of this machine's engine to an SSH host: only the layers it lacks",
       commands::setup_ship},
      {"tunnel",
       "Forward Jupyter and TensorBoard of an environment on an SSH host to this machine, "
       "until Ctrl-C",
       commands::setup_tunnel},
      {"version", "Show deepdock's version, the container engine and its GPU support",
       commands::setup_version},
      {"idle-check",
       "Power this cloud VM off after --minutes with no activity (run by the idle-stop timer)",
       commands::setup_idle_check},
  }};
  return kCommands;
}

}  // namespace deepdock::cli
