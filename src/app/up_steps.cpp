#include "app/up_steps.hpp"

#include <algorithm>

namespace deepdock::app {

StepTimer::StepTimer(UpObserver& observer, std::vector<StepRecord>& steps, std::string id,
                     std::string title)
    : observer_(observer), steps_(steps), start_(std::chrono::steady_clock::now()) {
  record_.id = std::move(id);
  record_.title = std::move(title);
  observer_.step_started(record_);
}

void StepTimer::done(std::string outcome) {
  record_.outcome = std::move(outcome);
  record_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  steps_.push_back(record_);
  observer_.step_finished(record_);
}

std::string step_title(const EnvironmentPlan& plan, std::string_view id,
                       std::string_view fallback) {
  const auto it = std::find_if(plan.steps.begin(), plan.steps.end(),
                               [&](const core::PlanStep& step) { return step.id == id; });
  return it != plan.steps.end() ? it->title : std::string(fallback);
}

}  // namespace deepdock::app
