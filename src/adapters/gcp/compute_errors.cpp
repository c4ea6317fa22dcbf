#include "adapters/gcp/compute_errors.hpp"

#include <fmt/format.h>

#include <string>

namespace deepdock::adapters::gcp {
namespace {

bool is_rate_limit(std::string_view reason) {
  return reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" ||
         reason == "RATE_LIMIT_EXCEEDED";
}

bool is_api_disabled(const GoogleError& error) {
  return error.detail == "accessNotConfigured" || error.detail == "SERVICE_DISABLED" ||
         error.message.find("has not been used in project") != std::string::npos;
}

std::string forbidden_hint(const GoogleError& error, const ComputeCallSite& site) {
  if (is_api_disabled(error)) {
    return fmt::format(
        "enable the Compute Engine API: `gcloud services enable compute.googleapis.com "
        "--project {}`, wait a minute, and run again",
        site.project);
  }
  if (error.reason == "quotaExceeded" || error.detail == "QUOTA_EXCEEDED") {
    return "ask for more quota (IAM & Admin > Quotas in the console), or choose another "
           "region or a smaller machine";
  }
  return fmt::format(
      "check that the project \"{}\" is the one you mean, that the Compute Engine API is "
      "enabled in it (`gcloud services enable compute.googleapis.com --project {}`), and that "
      "{} has roles/compute.instanceAdmin.v1 there",
      site.project, site.project, site.credentials);
}

}  // namespace

bool is_transient(const GoogleError& error) {
  return error.http_status == 429 || error.http_status >= 500 ||
         (error.http_status == 403 && is_rate_limit(error.reason));
}

Error compute_error(const GoogleError& error, const ComputeCallSite& site) {
  std::string said = fmt::format("HTTP {}", error.http_status);
  if (!error.reason.empty()) {
    said += " " + error.reason;
  }
  if (!error.message.empty()) {
    said += ": " + error.message;
  } else if (!error.from_google) {
    said += " (not an answer from the Compute Engine API)";
  }
  const std::string message = fmt::format("{} failed: {}", site.what, said);
  const int status = error.http_status;
  if (status == 404) {
    return {ErrorCode::kNotFound, message,
            fmt::format("check the project \"{}\", the zone and the name (`gcloud compute zones "
                        "list --project {}`)",
                        site.project, site.project)};
  }
  if (status == 401) {
    return {ErrorCode::kPermissionDenied,
            fmt::format("{} failed: Google refused the access token of {} ({})", site.what,
                        site.credentials, said),
            "sign in again (`gcloud auth application-default login`), or check "
            "GOOGLE_APPLICATION_CREDENTIALS"};
  }
  if (status == 403 && !is_transient(error)) {
    return {ErrorCode::kPermissionDenied, message, forbidden_hint(error, site)};
  }
  if (status == 400) {
    return {ErrorCode::kInvalidInput, message,
            "check the zone, machine type, accelerator and image in deepdock.yaml"};
  }
  if (status == 409 || status == 412) {
    return {ErrorCode::kConflict, message,
            "something else changed the resource meanwhile; run the command again"};
  }
  if (is_transient(error)) {
    return {ErrorCode::kUnavailable, message,
            "Compute Engine is busy or failing; try again in a few minutes "
            "(https://status.cloud.google.com)"};
  }
  return {ErrorCode::kFailure, message, {}};
}

}  // namespace deepdock::adapters::gcp
