#include "adapters/host/ssh_options.hpp"

#include <fmt/format.h>

#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

std::string destination(const core::SshTarget& target) {
  return target.user.empty() ? target.host : target.user + "@" + target.host;
}

}  // namespace

std::vector<std::string> ssh_argv(const SshOptions& options) {
  std::vector<std::string> argv{
      "ssh",
      "-o",
      "ControlMaster=auto",
      "-o",
      "ControlPath=" + (options.control_dir / "%C").string(),
      "-o",
      fmt::format("ControlPersist={}", options.persist.count()),
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      "BatchMode=yes",
      "-o",
      fmt::format("ConnectTimeout={}", options.connect_timeout.count()),
      "-o",
      "ServerAliveInterval=15",
      "-o",
      "ServerAliveCountMax=4",
      "-o",
      "StreamLocalBindUnlink=yes",
  };
  if (!options.config_file.empty()) {
    argv.insert(argv.end(), {"-F", options.config_file});
  }
  if (!options.identity_file.empty()) {
    argv.insert(argv.end(), {"-i", options.identity_file});
  }
  if (!options.known_hosts_file.empty()) {
    argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + options.known_hosts_file});
  }
  if (options.target.port != 0) {
    argv.insert(argv.end(), {"-p", std::to_string(options.target.port)});
  }
  argv.push_back(destination(options.target));
  return argv;
}

std::vector<std::string> ssh_command_argv(const SshOptions& options,
                                          const std::vector<std::string>& remote_argv) {
  std::vector<std::string> argv = ssh_argv(options);
  argv.emplace_back("--");
  argv.push_back(util::shell_join(remote_argv));
  return argv;
}

std::vector<std::string> ssh_control_argv(const SshOptions& options, std::string_view operation,
                                          const std::vector<std::string>& args) {
  std::vector<std::string> argv = ssh_argv(options);
  const std::string host = argv.back();
  argv.pop_back();
  argv.insert(argv.end(), {"-O", std::string(operation)});
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(host);
  return argv;
}

Error ssh_error(const SshOptions& options, std::string_view stderr_text) {
  const std::string where = options.target.url();
  const std::string said = util::last_lines(stderr_text, 3);
  if (contains(stderr_text, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
      contains(stderr_text, "Host key verification failed")) {
    return Error{ErrorCode::kPrecondition,
                 fmt::format("the host key of {} is not the one first seen: ssh refused to "
                             "connect ({})",
                             where, said),
                 fmt::format("if the host was reinstalled, forget its old key with `ssh-keygen -R "
                             "{}`; otherwise the connection may be intercepted",
                             options.target.host)};
  }
  if (contains(stderr_text, "Permission denied")) {
    return Error{ErrorCode::kPrecondition, fmt::format("{} refused the login: {}", where, said),
                 fmt::format("deepdock logs in with your ssh keys and agent and never asks for a "
                             "password: `ssh-copy-id {}`, or load the key with `ssh-add`",
                             destination(options.target))};
  }
  if (contains(stderr_text, "Could not resolve hostname")) {
    return Error{ErrorCode::kPrecondition,
                 fmt::format("the name {} does not resolve", options.target.host),
                 "check the name, or give its address: ssh://user@203.0.113.7"};
  }
  if (contains(stderr_text, "Connection refused")) {
    return Error{ErrorCode::kPrecondition,
                 fmt::format("nothing accepts SSH connections at {}", where),
                 "check that sshd runs there and the port (ssh://user@host:PORT)"};
  }
  if (contains(stderr_text, "timed out") || contains(stderr_text, "No route to host") ||
      contains(stderr_text, "Network is unreachable")) {
    return Error{ErrorCode::kPrecondition, fmt::format("{} does not answer: {}", where, said),
                 "check the address, that the machine is up, and firewalls on the way"};
  }
  return Error{ErrorCode::kFailure, fmt::format("ssh to {} failed: {}", where, said),
               fmt::format("`ssh -v {}` shows what ssh does", destination(options.target))};
}

}  // namespace deepdock::adapters::host
