#pragma once
// The one shell-quoting function. Processes are argument vectors; when an argument vector
// must cross a shell (a boot script, a Dockerfile RUN line, a remote ssh command), each
// argument is quoted here and nowhere else.

#include <string>
#include <string_view>
#include <vector>

namespace deepdock::util {

// Quotes one word for POSIX sh: unchanged when it holds only safe characters, otherwise
// wrapped in single quotes with embedded single quotes written as '\''.
std::string shell_quote(std::string_view word);

// Quotes each argument and joins them with spaces.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace deepdock::util
