#pragma once
// The shapes of the spec's string values. Each check returns what is wrong with the text, as
// the tail of a problem message ("must be ..."), or nothing when the text is valid. Pure
// functions of the text; the parser adds the key and the location.

#include <optional>
#include <string>
#include <string_view>

namespace deepdock::core::spec_values {

using Check = std::optional<std::string>;

// [a-z0-9][a-z0-9_.-]{0,62}: usable as an image, container and VM name.
Check check_name(std::string_view text);
// "2.15", "2.15.1"; "latest" and "" are handled by the caller.
Check check_version(std::string_view text);
// "3.11".
Check check_python(std::string_view text);
// auto | debootstrap:<suite> | an image reference.
Check check_base(std::string_view text);
// A Debian package name, optionally pinned: "git", "libcudnn8=8.9.7.29-1+cuda12.2".
Check check_apt_package(std::string_view text);
// A pip requirement ("pandas", "torch>=2.1; python_version>='3.10'"): any printable text.
Check check_pip_requirement(std::string_view text);
// A relative path inside the spec's folder.
Check check_relative_path(std::string_view text);
// "host:container[:ro|rw]" with an absolute container path.
Check check_mount(std::string_view text);
// The container side of a mount, for duplicate detection; "" when malformed.
std::string mount_container_path(std::string_view text);
// ssh://[user@]host[:port]
Check check_ssh_host(std::string_view text);
// host[:port][/path]: "us-west1-docker.pkg.dev/learning-deeply/envs", "localhost:5000".
Check check_registry(std::string_view text);
// A Compute Engine zone: "us-west1-b", "northamerica-northeast1-a".
Check check_zone(std::string_view text);
// A Google Cloud project ID: "learning-deeply", or a domain-scoped "example.com:ml".
Check check_gcp_project(std::string_view text);
// A Compute Engine resource name: machine type, accelerator type, image family.
Check check_gcp_resource_name(std::string_view text);

}  // namespace deepdock::core::spec_values
