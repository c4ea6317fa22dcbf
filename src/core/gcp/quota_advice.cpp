#include "core/gcp/quota_advice.hpp"

#include <fmt/format.h>

namespace deepdock::core {

std::string quotas_page_url(std::string_view project) {
  return fmt::format("https://console.cloud.google.com/iam-admin/quotas?project={}", project);
}

std::string quota_hint(std::string_view project, std::string_view metric, std::string_view region) {
  const std::string what = metric.empty() ? std::string("the GPU quota") : std::string(metric);
  if (region.empty()) {
    return fmt::format(
        "ask for more {} (project-wide) at {}; `gcloud compute project-info describe "
        "--project {}` shows the limit and usage",
        what, quotas_page_url(project), project);
  }
  return fmt::format(
      "ask for more {} in {} at {}, or try another region; `gcloud compute regions describe {} "
      "--project {}` shows the limit and usage",
      what, region, quotas_page_url(project), region, project);
}

}  // namespace deepdock::core
