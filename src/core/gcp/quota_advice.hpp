#pragma once
// How to ask Google for more quota, said the same way wherever a quota stops deepdock: the
// console's quotas page of the project, the metric to look for, and the gcloud command that
// shows the region's current limit and usage.

#include <string>
#include <string_view>

namespace deepdock::core {

// "https://console.cloud.google.com/iam-admin/quotas?project=P"
std::string quotas_page_url(std::string_view project);

// The hint for a quota: `region` empty for a project-wide metric (GPUS_ALL_REGIONS).
std::string quota_hint(std::string_view project, std::string_view metric, std::string_view region);

}  // namespace deepdock::core
