#include "core/gcp/failure_class.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/gcp/accelerator_catalog.hpp"
#include "core/gcp/quota_advice.hpp"

namespace deepdock::core {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool contains_nocase(std::string_view text, std::string_view part) {
  const auto it =
      std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
  return it != text.end();
}

template <size_t N>
bool is_one_of(std::string_view reason, const std::array<std::string_view, N>& reasons) {
  return std::find(reasons.begin(), reasons.end(), reason) != reasons.end();
}

FailureClass make(BlockScope scope, std::string outcome, std::string hint = {}) {
  return FailureClass{scope, std::move(outcome), {}, std::move(hint)};
}

FailureClass classify_quota(const CloudFailure& failure, const std::string& project,
                            const std::string& region) {
  std::string metric = quota_metric_in(failure.message);
  const bool global = metric.ends_with("_ALL_REGIONS") || contains(failure.message, "globally");
  FailureClass result =
      global
          ? make(BlockScope::kEverything,
                 metric == kGlobalGpuMetric || metric.empty() ? "global GPU quota" : "global quota")
          : make(BlockScope::kRegion, "regional quota");
  result.hint = quota_hint(project, metric, global ? "" : region);
  result.quota_metric = std::move(metric);
  return result;
}

}  // namespace

std::string_view to_string(BlockScope scope) {
  switch (scope) {
    case BlockScope::kZone:
      return "zone";
    case BlockScope::kRegion:
      return "region";
    case BlockScope::kEverything:
      return "everything";
  }
  return "?";
}

std::string quota_metric_in(std::string_view message) {
  constexpr std::string_view kStart = "Quota '";
  const size_t start = message.find(kStart);
  if (start == std::string_view::npos) {
    return {};
  }
  const size_t from = start + kStart.size();
  const size_t end = message.find('\'', from);
  if (end == std::string_view::npos) {
    return {};
  }
  return std::string(message.substr(from, end - from));
}

FailureClass classify_failure(const CloudFailure& failure, const std::string& project,
                              const std::string& region) {
  const std::string_view reason = failure.reason;
  const std::string_view message = failure.message;

  // Messages first: the same reason (notFound, forbidden) means different things.
  if (contains(message, "is not found or access is unauthorized")) {
    return make(BlockScope::kZone, "location unavailable");
  }
  if (contains(message, "acceleratorTypes/") && contains(message, "was not found")) {
    return make(BlockScope::kZone, "not offered");
  }
  if (contains(message, "/images/") && contains(message, "was not found")) {
    return make(BlockScope::kEverything, "image not found",
                "check target.gcp.image_family (e.g. ubuntu-2204-lts)");
  }
  if (contains(message, "Requested disk size cannot be smaller than the image size")) {
    return make(BlockScope::kEverything, "disk too small",
                "raise target.gcp.disk_gb to at least the image's size");
  }
  if (reason == "QUOTA_EXCEEDED" || reason == "quotaExceeded" || contains(message, "' exceeded.")) {
    return classify_quota(failure, project, region);
  }

  constexpr std::array<std::string_view, 5> kStockout = {
      "ZONE_RESOURCE_POOL_EXHAUSTED", "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
      "UNSUPPORTED_OPERATION", "insufficientCapacity", "resourcePoolExhausted"};
  if (is_one_of(reason, kStockout)) {
    return make(BlockScope::kZone, "stocked out", "try again later, or other zones");
  }
  constexpr std::array<std::string_view, 3> kBusy = {
      "RESOURCE_NOT_READY", "RESOURCE_OPERATION_RATE_EXCEEDED", "rateLimitExceeded"};
  if (is_one_of(reason, kBusy)) {
    return make(BlockScope::kZone, "busy");
  }
  if (reason == "RESOURCE_NOT_FOUND") {
    return make(BlockScope::kZone, "not found");
  }
  if (reason == "VPC_NOT_FOUND") {
    return make(BlockScope::kEverything, "network",
                "the project has no `default` VPC network: create one (`gcloud compute networks "
                "create default --subnet-mode=auto`)");
  }
  if (reason == "SUBNET_NOT_FOUND_FOR_VPC") {
    return make(BlockScope::kRegion, "network");
  }
  if (reason == "IAM_PERMISSION_DENIED" || reason == "forbidden" ||
      contains_nocase(reason, "permission") || contains(message, "Policy update access denied.") ||
      failure.http_status == 401 || failure.http_status == 403) {
    return make(BlockScope::kEverything, "permission",
                "the account needs roles/compute.instanceAdmin.v1 (and iam.serviceAccountUser) "
                "on the project; see `deepdock doctor`");
  }
  constexpr std::array<std::string_view, 4> kInvalid = {"invalid", "badRequest", "INVALID_ARGUMENT",
                                                        "invalidParameter"};
  if (is_one_of(reason, kInvalid) || failure.http_status == 400) {
    return make(BlockScope::kEverything, "invalid request",
                "check target.gcp in deepdock.yaml (machine type, image family, disk size)");
  }
  // Unknown: this zone only, so failover goes on.
  return make(BlockScope::kZone, "failed");
}

}  // namespace deepdock::core
