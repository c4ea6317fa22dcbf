#include "core/bootstrap/step_commands.hpp"

#include <fmt/format.h>

#include <utility>

namespace deepdock::core::bootstrap_detail {

HostCommand command(std::vector<std::string> argv, std::string stdin_data) {
  return HostCommand{.argv = std::move(argv), .stdin_data = std::move(stdin_data)};
}

BootstrapCheck check(std::vector<std::string> argv, std::string stdout_contains) {
  return BootstrapCheck{.command = command(std::move(argv)),
                        .stdout_contains = std::move(stdout_contains)};
}

HostCommand apt_update() {
  return command({"apt-get", "-o", "DPkg::Lock::Timeout=600", "update"});
}

HostCommand apt_install(const std::vector<std::string>& packages) {
  std::vector<std::string> argv{"env", "DEBIAN_FRONTEND=noninteractive", "apt-get",
                                "-o",  "DPkg::Lock::Timeout=600",        "install",
                                "-y",  "--no-install-recommends"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  return command(std::move(argv));
}

std::vector<HostCommand> add_apt_repository(const AptRepository& repository) {
  return {
      command({"curl", "-fsSL", "-o", repository.downloaded_key, repository.key_url}),
      command({"gpg", "--dearmor", "--yes", "-o", repository.keyring, repository.downloaded_key}),
      write_file_command(repository.list_file, fmt::format("deb [signed-by={}] {}\n",
                                                           repository.keyring, repository.source)),
      apt_update()};
}

}  // namespace deepdock::core::bootstrap_detail
