#pragma once
// How `deepdock doctor` reads: one line per finding with its severity, what was found and the
// command that fixes it, then a summary; or, with --json, one document
// {"findings": [{"id", "severity", "title", "detail", "fix"}], "summary": {...}}.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/doctor.hpp"

namespace deepdock::cli {

nlohmann::json doctor_to_json(const std::vector<app::Finding>& findings);
std::string doctor_to_text(const std::vector<app::Finding>& findings, bool color);

}  // namespace deepdock::cli
