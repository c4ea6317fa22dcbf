#include "core/ports/cloud_build.hpp"

#include <array>
#include <utility>

namespace deepdock::core {
namespace {

constexpr std::array<std::pair<CloudBuildStatus, std::string_view>, 10> kNames{{
    {CloudBuildStatus::kUnknown, "STATUS_UNKNOWN"},
    {CloudBuildStatus::kPending, "PENDING"},
    {CloudBuildStatus::kQueued, "QUEUED"},
    {CloudBuildStatus::kWorking, "WORKING"},
    {CloudBuildStatus::kSuccess, "SUCCESS"},
    {CloudBuildStatus::kFailure, "FAILURE"},
    {CloudBuildStatus::kInternalError, "INTERNAL_ERROR"},
    {CloudBuildStatus::kTimeout, "TIMEOUT"},
    {CloudBuildStatus::kCancelled, "CANCELLED"},
    {CloudBuildStatus::kExpired, "EXPIRED"},
}};

}  // namespace

CloudBuildStatus parse_cloud_build_status(std::string_view text) {
  for (const auto& [status, name] : kNames) {
    if (name == text) {
      return status;
    }
  }
  return CloudBuildStatus::kUnknown;
}

std::string_view to_string(CloudBuildStatus status) {
  for (const auto& [known, name] : kNames) {
    if (known == status) {
      return name;
    }
  }
  return "STATUS_UNKNOWN";
}

bool is_terminal(CloudBuildStatus status) {
  switch (status) {
    case CloudBuildStatus::kSuccess:
    case CloudBuildStatus::kFailure:
    case CloudBuildStatus::kInternalError:
    case CloudBuildStatus::kTimeout:
    case CloudBuildStatus::kCancelled:
    case CloudBuildStatus::kExpired:
      return true;
    case CloudBuildStatus::kUnknown:
    case CloudBuildStatus::kPending:
    case CloudBuildStatus::kQueued:
    case CloudBuildStatus::kWorking:
      return false;
  }
  return false;
}

}  // namespace deepdock::core
