#pragma once
// The steps of `up` as the observer sees them: each timed from its start to its outcome,
// titled by the plan's step of the same id.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/plan_environment.hpp"
#include "app/up_environment.hpp"

namespace deepdock::app {

// Times one step and tells the observer when it starts and ends.
class StepTimer {
 public:
  StepTimer(UpObserver& observer, std::vector<StepRecord>& steps, std::string id,
            std::string title);
  void done(std::string outcome);

 private:
  UpObserver& observer_;
  std::vector<StepRecord>& steps_;
  std::chrono::steady_clock::time_point start_;
  StepRecord record_;
};

// The plan's title for step `id`, or `fallback` when the plan has no such step.
std::string step_title(const EnvironmentPlan& plan, std::string_view id, std::string_view fallback);

}  // namespace deepdock::app
