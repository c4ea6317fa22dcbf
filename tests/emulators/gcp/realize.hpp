#pragma once
// Realizing instances: with --realize-command, an instance that reaches RUNNING becomes
// something real (the SSH test host container, say). The command runs through `sh -c`
// with the instance's facts in its environment and prints the address that becomes the
// instance's natIP; --unrealize-command takes it down when the instance is deleted.

#include <filesystem>
#include <string>

namespace deepdock::gcpemu {

struct RealizeJob {
  bool up = true;  // false: unrealize (delete)
  std::string operation;
  std::string project;
  std::string zone;
  std::string instance;
  std::string ssh_keys;        // the ssh-keys metadata value
  std::string startup_script;  // the startup-script metadata value
  std::filesystem::path dir;   // the instance's own directory
};

struct RealizeResult {
  bool ok = true;
  std::string nat_ip;  // the last line the command printed
  std::string message;
};

class Realizer {
 public:
  Realizer(std::string up_command, std::string down_command)
      : up_command_(std::move(up_command)), down_command_(std::move(down_command)) {}

  [[nodiscard]] bool enabled(bool up) const { return !(up ? up_command_ : down_command_).empty(); }

  // Environment: INSTANCE_NAME, ZONE, PROJECT, SSH_KEYS, STARTUP_SCRIPT_FILE and
  // SERIAL_PORT_FILE (whatever the command writes there is served as serial port 1).
  [[nodiscard]] RealizeResult run(const RealizeJob& job) const;

 private:
  std::string up_command_;
  std::string down_command_;
};

// The file of an instance's directory whose contents follow the scenario's serial lines.
std::filesystem::path serial_port_file(const std::filesystem::path& instance_dir);

}  // namespace deepdock::gcpemu
