#pragma once
// Which Debian mirror debootstrap should fetch from. A machine that reaches no image
// registry usually reaches exactly one mirror: the one its own apt uses. So the choice is
// DEEPDOCK_DEBIAN_MIRROR when set, else the first apt source that serves the suite itself
// (deb822 `*.sources`, then the one-line `sources.list` and `*.list`), else Debian's
// redirector. Parsers are pure, for fixture tests.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace deepdock::adapters::host {

inline constexpr std::string_view kDefaultDebianMirror = "http://deb.debian.org/debian";
inline constexpr const char* kMirrorVariable = "DEEPDOCK_DEBIAN_MIRROR";

// The URI of the first stanza of a deb822 `.sources` file that is enabled, has Type `deb`
// and names `suite` itself among its Suites ("bookworm", not "bookworm-security"); its
// first URI when it lists several. Only http(s):// and file:/ URIs, which debootstrap reads.
std::optional<std::string> mirror_from_deb822(std::string_view text, std::string_view suite);

// The same for one-line entries ("deb [options] URI SUITE COMPONENT...").
std::optional<std::string> mirror_from_sources_list(std::string_view text, std::string_view suite);

struct MirrorChoice {
  std::string uri;
  std::string origin;  // where it came from: the variable, a file's path, or "default"
};

// `env_value` is DEEPDOCK_DEBIAN_MIRROR's value ("" when unset); `apt_dir` is /etc/apt on a
// real host and a fixture directory in tests.
MirrorChoice choose_debian_mirror(std::string_view suite, const std::filesystem::path& apt_dir,
                                  std::string_view env_value);

}  // namespace deepdock::adapters::host
