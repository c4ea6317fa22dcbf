#pragma once
// Secret redaction for everything that may reach a log or the terminal.
// Two mechanisms: known secret-bearing shapes (Authorization headers, X-Registry-Auth,
// JSON password/token fields, token= query parameters) are masked by pattern, and
// values registered at run time (a token deepdock obtained) are masked wherever they appear.

#include <string>
#include <string_view>

namespace deepdock::util {

inline constexpr std::string_view kRedacted = "<redacted>";

// Remember a secret value so that redact() masks it anywhere. Values shorter than
// 6 characters are ignored: masking them would garble ordinary text.
void register_secret(std::string_view secret);

// Forget all registered secrets (tests).
void clear_registered_secrets();

// Returns text with every known secret shape and registered value replaced by <redacted>.
std::string redact(std::string_view text);

// True for header names whose values are always secret.
bool is_secret_header(std::string_view name);

}  // namespace deepdock::util
