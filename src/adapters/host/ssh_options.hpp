#pragma once
// The OpenSSH client's command lines for a target, and what its failures mean. deepdock
// drives the user's own ssh, so ~/.ssh/config, agents, jump hosts and keys work as they do
// for `ssh host`. Every connection to a host shares one master (ControlMaster, ControlPath
// in deepdock's state directory, kept ControlPersist seconds after the last use), host keys
// are checked (a new host is accepted and remembered, a changed key is refused), and ssh
// never prompts (BatchMode): deepdock runs unattended.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ssh_target.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::host {

struct SshOptions {
  core::SshTarget target;
  std::filesystem::path control_dir;  // holds the master's socket; mode 0700
  std::string config_file;            // -F FILE; "" = the user's ~/.ssh/config
  // For hosts deepdock made (cloud VMs): its own key, offered besides the user's, and a
  // known_hosts file of their own, so that an address reused by a new VM is not refused.
  // "" = ssh's own choice.
  std::string identity_file;
  std::string known_hosts_file;
  std::chrono::seconds persist{600};  // the master outlives the last command by this
  std::chrono::seconds connect_timeout{20};
};

// `ssh [options] host`: everything before the remote command.
std::vector<std::string> ssh_argv(const SshOptions& options);

// ssh_argv + "--" + the remote command line (remote_argv quoted with util::shell_join).
std::vector<std::string> ssh_command_argv(const SshOptions& options,
                                          const std::vector<std::string>& remote_argv);

// `ssh -O <operation> [args] host` for the master: "check", "exit", or "forward" with
// "-L" LOCAL:REMOTE.
std::vector<std::string> ssh_control_argv(const SshOptions& options, std::string_view operation,
                                          const std::vector<std::string>& args = {});

// What ssh's error output (exit status 255) means, as an error that says what to do.
Error ssh_error(const SshOptions& options, std::string_view stderr_text);

}  // namespace deepdock::adapters::host
