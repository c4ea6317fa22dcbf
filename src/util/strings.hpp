#pragma once
// Small string helpers used across layers.

#include <string>
#include <string_view>
#include <vector>

namespace deepdock::util {

std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);
bool starts_with_icase(std::string_view text, std::string_view prefix);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// The last `count` lines of `text`, trimmed (the tail of a program's error output).
std::string last_lines(std::string_view text, size_t count);
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);
// "1.5 GB", "12.0 MB", "512 B": decimal units, as the docker CLI prints them.
std::string human_bytes(double bytes);

}  // namespace deepdock::util
