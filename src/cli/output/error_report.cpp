#include "cli/output/error_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/redact.hpp"

namespace deepdock::cli {

std::string format_error(const Error& error) {
  std::string text = fmt::format("error: {}\n", util::redact(error.message));
  if (!error.hint.empty()) {
    text += fmt::format("  hint: {}\n", util::redact(error.hint));
  }
  return text;
}

std::string format_error_json(const Error& error) {
  nlohmann::json body = {{"code", to_string(error.code)},
                         {"message", util::redact(error.message)},
                         {"exit_code", error.exit_code()}};
  if (!error.hint.empty()) {
    body["hint"] = util::redact(error.hint);
  }
  return nlohmann::json{{"error", body}}.dump(2);
}

void report_error(const Error& error, bool json) {
  if (json) {
    fmt::print(stdout, "{}\n", format_error_json(error));
  }
  fmt::print(stderr, "{}", format_error(error));
}

}  // namespace deepdock::cli
