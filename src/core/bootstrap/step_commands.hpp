#pragma once
// The building blocks of bootstrap steps, shared by the files that plan them: commands,
// checks, the apt commands every step writes the same way, and a signed apt repository.
// Internal to src/core/bootstrap.

#include <string>
#include <vector>

#include "core/bootstrap/bootstrap_plan.hpp"

namespace deepdock::core::bootstrap_detail {

HostCommand command(std::vector<std::string> argv, std::string stdin_data = {});

BootstrapCheck check(std::vector<std::string> argv, std::string stdout_contains = {});

// apt waits for the dpkg lock itself where it can (apt 1.9.11 on; older apt ignores the
// option, and the executor retries while the lock is held: unattended-upgrades at boot).
HostCommand apt_update();
HostCommand apt_install(const std::vector<std::string>& packages);

// A third-party apt repository signed with its own key, then `apt-get update`.
struct AptRepository {
  std::string key_url;         // the armored key
  std::string downloaded_key;  // where it is fetched to: "/tmp/<name>.gpgkey"
  std::string keyring;         // the dearmored key: "/usr/share/keyrings/<name>.gpg"
  std::string list_file;       // "/etc/apt/sources.list.d/<name>.list"
  std::string source;          // the line after "deb [signed-by=<keyring>] "
};
std::vector<HostCommand> add_apt_repository(const AptRepository& repository);

}  // namespace deepdock::core::bootstrap_detail
