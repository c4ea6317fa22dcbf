#pragma once
// The probe's report as one JSON object, the form deepdock reads back (app/probe_check).

#include <string>
#include <string_view>

#include "probe/probe_report.hpp"

namespace deepdock::probe {

inline constexpr int kReportSchema = 1;

std::string report_json(const ProbeReport& report);

std::string_view to_string(Verdict verdict);     // "gpu-ready", "no-gpu", "gpu-broken"
std::string_view to_string(Severity severity);   // "error", "warning", "info"
std::string_view to_string(FeatureState state);  // "on", "off", "unsupported", "unknown"
// 12040 -> "12.4"; 0 -> "".
std::string cuda_version_text(int version);

}  // namespace deepdock::probe
