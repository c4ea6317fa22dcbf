#include "cli/output/doctor_report.hpp"

#include <fmt/format.h>

#include <array>

namespace deepdock::cli {
namespace {

constexpr std::array<app::Severity, 4> kSeverities = {
    app::Severity::kOk, app::Severity::kInfo, app::Severity::kWarning, app::Severity::kError};

size_t count(const std::vector<app::Finding>& findings, app::Severity severity) {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(),
                    [severity](const app::Finding& f) { return f.severity == severity; }));
}

std::string_view color_of(app::Severity severity) {
  switch (severity) {
    case app::Severity::kOk:
      return "\033[32m";
    case app::Severity::kInfo:
      return "\033[36m";
    case app::Severity::kWarning:
      return "\033[33m";
    case app::Severity::kError:
      return "\033[31m";
  }
  return "";
}

}  // namespace

nlohmann::json doctor_to_json(const std::vector<app::Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings) {
    list.push_back({{"id", finding.id},
                    {"severity", std::string(app::to_string(finding.severity))},
                    {"title", finding.title},
                    {"detail", finding.detail},
                    {"fix", finding.fix}});
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const auto severity : kSeverities) {
    summary[std::string(app::to_string(severity))] = count(findings, severity);
  }
  summary["healthy"] = !app::has_errors(findings);
  return {{"findings", std::move(list)}, {"summary", std::move(summary)}};
}

std::string doctor_to_text(const std::vector<app::Finding>& findings, bool color) {
  std::string out;
  for (const auto& finding : findings) {
    const std::string label = fmt::format("{:<7}", app::to_string(finding.severity));
    out += color ? fmt::format("{}{}\033[0m", color_of(finding.severity), label) : label;
    out += fmt::format(" {}  [{}]\n", finding.title, finding.id);
    if (!finding.detail.empty()) {
      out += fmt::format("        {}\n", finding.detail);
    }
    if (!finding.fix.empty()) {
      out += fmt::format("        fix: {}\n", finding.fix);
    }
  }
  out +=
      fmt::format("\n{} ok, {} info, {} warning(s), {} error(s)\n",
                  count(findings, app::Severity::kOk), count(findings, app::Severity::kInfo),
                  count(findings, app::Severity::kWarning), count(findings, app::Severity::kError));
  return out;
}

}  // namespace deepdock::cli
