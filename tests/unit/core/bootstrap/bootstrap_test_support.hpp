#pragma once
// Helpers shared by the bootstrap planning tests.

#include <string>
#include <vector>

#include "core/bootstrap/bootstrap_plan.hpp"

namespace deepdock::core {

// The plan's step ids, in order.
inline std::vector<std::string> step_ids(const std::vector<BootstrapStep>& steps) {
  std::vector<std::string> out;
  out.reserve(steps.size());
  for (const BootstrapStep& step : steps) {
    out.push_back(step.id);
  }
  return out;
}

}  // namespace deepdock::core
