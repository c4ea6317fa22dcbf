#pragma once
// Runs the framework's own check (the Python program gen/framework_check renders, which
// deepdock copies into the container beside the probe) and keeps its result line and its
// one-line summary for the report. The probe does not judge the result: deepdock does,
// knowing what the environment was built for.

#include <string>
#include <string_view>
#include <vector>

#include "probe/probe_report.hpp"

namespace deepdock::probe {

// The program prints its result as this marker followed by a JSON object on one line, and
// a line for people after kFrameworkSummaryMarker. (gen::kFrameworkCheckMarker and
// gen::kFrameworkSummaryMarker are the same strings; a unit test holds them together.)
inline constexpr std::string_view kFrameworkResultMarker = "DEEPDOCK_CHECK ";
inline constexpr std::string_view kFrameworkSummaryMarker = "DEEPDOCK_SUMMARY ";

// Runs argv (looked up in PATH, as a shell would) with stdout and stderr captured.
FrameworkCheck run_framework_check(const std::vector<std::string>& argv);

// Reads a finished run's output into `check` (exported for tests).
void read_framework_output(std::string_view stdout_text, std::string_view stderr_text,
                           FrameworkCheck& check);

}  // namespace deepdock::probe
