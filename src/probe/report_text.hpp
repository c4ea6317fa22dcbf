#pragma once
// The probe's report for people: the verdict first, one line per link of the chain, then
// each problem with its fix.

#include <string>

#include "probe/probe_report.hpp"

namespace deepdock::probe {

std::string report_text(const ProbeReport& report);

}  // namespace deepdock::probe
