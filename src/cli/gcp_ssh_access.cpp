#include "cli/gcp_ssh_access.hpp"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <system_error>

#include "adapters/host/state_dir.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

std::filesystem::path gcp_dir() {
  return adapters::host::StateDir::default_dir() / "gcp";
}

std::filesystem::path known_hosts_of(const std::string& address) {
  // An IPv6 address has ':'s, which are fine in a file name but not portable: use '_'.
  std::string name = address;
  for (char& c : name) {
    if (c == ':' || c == '/') {
      c = '_';
    }
  }
  return gcp_dir() / "known_hosts" / name;
}

std::string record_key(const std::string& environment) {
  return "gcp-address-" + environment;
}

Status make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot create {}: {}", dir.string(), ec.message()),
                "check the permissions of deepdock's state directory (DEEPDOCK_STATE_DIR)");
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return {};
}

}  // namespace

Result<GcpSshKey> ensure_gcp_ssh_key(core::HostExecutor& local) {
  const std::filesystem::path dir = gcp_dir() / "ssh";
  const std::filesystem::path key = dir / "id_ed25519";
  std::filesystem::path pub = key;
  pub += ".pub";
  std::error_code ec;
  if (!std::filesystem::exists(key, ec) || !std::filesystem::exists(pub, ec)) {
    TRY(make_private_dir(dir));
    std::filesystem::remove(key, ec);
    std::filesystem::remove(pub, ec);
    TRY_ASSIGN(const core::HostCommandResult made,
               local.run({.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deepdock",
                                   "-f", key.string()}}));
    if (made.exit_code != 0) {
      return fail(ErrorCode::kFailure,
                  fmt::format("ssh-keygen could not make deepdock's key for cloud VMs at {}: {}",
                              key.string(), util::trim(made.stderr_text)),
                  "check that OpenSSH's client tools are installed (apt-get install "
                  "openssh-client)");
    }
  }
  std::ifstream in(pub);
  std::string line;
  std::getline(in, line);
  line = std::string(util::trim(line));
  if (line.empty()) {
    return fail(
        ErrorCode::kFailure, fmt::format("{} is empty or unreadable", pub.string()),
        fmt::format("remove {} and {}; deepdock makes a new pair", key.string(), pub.string()));
  }
  return GcpSshKey{key, line};
}

std::string gcp_ssh_user(const std::optional<std::string>& local_user) {
  std::string name;
  for (const char c : local_user.value_or("")) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_' ||
        lower == '-') {
      name.push_back(lower);
    }
  }
  if (name.empty() || name == "root" || name.front() < 'a' || name.front() > 'z' ||
      name.size() > 32) {
    return "deepdock";
  }
  return name;
}

std::string gcp_ssh_keys_metadata(const std::string& user, const GcpSshKey& key) {
  // "type base64 comment": the comment becomes the user's name, as gcloud writes it.
  const std::vector<std::string> parts = util::split(key.public_key, ' ');
  const std::string type_and_key = parts.size() >= 2 ? parts[0] + " " + parts[1] : key.public_key;
  return fmt::format("{}:{} {}", user, type_and_key, user);
}

Status remember_gcp_host(const std::string& address, bool new_vm) {
  const std::filesystem::path file = known_hosts_of(address);
  TRY(make_private_dir(file.parent_path()));
  std::error_code ec;
  if (new_vm || !std::filesystem::exists(file, ec)) {
    std::ofstream out(file, std::ios::trunc);
    if (!out) {
      return fail(ErrorCode::kFailure, fmt::format("cannot write {}", file.string()),
                  "check the permissions of deepdock's state directory");
    }
  }
  return {};
}

Status forget_gcp_host(const std::string& address) {
  std::error_code ec;
  std::filesystem::remove(known_hosts_of(address), ec);
  return {};
}

void apply_gcp_access(adapters::host::SshOptions& options) {
  const std::filesystem::path file = known_hosts_of(options.target.host);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return;
  }
  options.known_hosts_file = file.string();
  options.identity_file = (gcp_dir() / "ssh" / "id_ed25519").string();
}

Result<std::optional<core::SshTarget>> recorded_gcp_target(core::StateStore& state,
                                                           const std::string& environment) {
  TRY_ASSIGN(const auto text, state.read(record_key(environment)));
  if (!text) {
    return std::optional<core::SshTarget>();
  }
  TRY_ASSIGN(core::SshTarget target, core::SshTarget::parse(util::trim(*text)));
  return std::optional<core::SshTarget>(std::move(target));
}

Status record_gcp_target(core::StateStore& state, const std::string& environment,
                         const core::SshTarget& target) {
  return state.write(record_key(environment), target.url() + "\n");
}

Status forget_gcp_target(core::StateStore& state, const std::string& environment) {
  return state.remove(record_key(environment));
}

}  // namespace deepdock::cli
