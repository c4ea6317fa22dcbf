#pragma once
// The one place an Error becomes text for a person (stderr) or JSON (stdout with --json).

#include <cstdio>
#include <string>

#include "util/error.hpp"

namespace deepdock::cli {

// "error: <message>\n  hint: <hint>" (redacted).
std::string format_error(const Error& error);
// {"error": {"code": "...", "message": "...", "hint": "...", "exit_code": N}}
std::string format_error_json(const Error& error);
void report_error(const Error& error, bool json);

}  // namespace deepdock::cli
