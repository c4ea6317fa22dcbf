#pragma once
// How deepdock reaches the Google Cloud VMs it creates over SSH: a key pair of its own
// (<state dir>/gcp/ssh/id_ed25519, made with ssh-keygen on first use; its public half goes
// into the instance's `ssh-keys` metadata, which Google's guest agent installs), the user it
// is installed for, and a known_hosts file for each VM address, so that the address of a
// deleted VM, given later to another one, is not refused as a changed host key. The first
// key a VM shows right after deepdock created it is accepted and pinned from then on.
//
// ssh_executor() applies this to any target whose address has such a known_hosts file, so
// exec, shell, logs and tunnel reach a VM as `up` did.

#include <filesystem>
#include <optional>
#include <string>

#include "adapters/host/ssh_options.hpp"
#include "core/model/ssh_target.hpp"
#include "core/ports/host_executor.hpp"
#include "core/ports/state_store.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

struct GcpSshKey {
  std::filesystem::path private_key;
  std::string public_key;  // "ssh-ed25519 AAAA… deepdock"
};

// The key pair, made when missing.
Result<GcpSshKey> ensure_gcp_ssh_key(core::HostExecutor& local);

// The user on the VM: this machine's user name made fit for Linux (lower case, [a-z0-9_-],
// starting with a letter), or "deepdock" for root or a name that does not fit: Google's
// images refuse root logins.
std::string gcp_ssh_user(const std::optional<std::string>& local_user);

// The `ssh-keys` metadata value that installs `key` for `user`: "user:ssh-ed25519 AAAA… user".
std::string gcp_ssh_keys_metadata(const std::string& user, const GcpSshKey& key);

// Records that `address` is a VM deepdock made and reaches with its key; a new address
// starts with an empty known_hosts file, a known one keeps its pinned key.
Status remember_gcp_host(const std::string& address, bool new_vm);
// Forgets the address (its VM was deleted, or got another address).
Status forget_gcp_host(const std::string& address);
// Sets the key and known_hosts file on `options` when its host is one of deepdock's VMs.
void apply_gcp_access(adapters::host::SshOptions& options);

// Where `up` recorded how to reach an environment's VM: "gcp-address-<name>" holds its SSH
// URL (ssh://user@address). nullopt when there is no record.
Result<std::optional<core::SshTarget>> recorded_gcp_target(core::StateStore& state,
                                                           const std::string& environment);
Status record_gcp_target(core::StateStore& state, const std::string& environment,
                         const core::SshTarget& target);
Status forget_gcp_target(core::StateStore& state, const std::string& environment);

}  // namespace deepdock::cli
