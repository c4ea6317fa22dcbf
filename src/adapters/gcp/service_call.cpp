#include "adapters/gcp/service_call.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <utility>

#include "adapters/gcp/compute_errors.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace deepdock::adapters::gcp {
namespace {

double jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

bool is_api_disabled(const GoogleError& error) {
  return error.detail == "accessNotConfigured" || error.detail == "SERVICE_DISABLED" ||
         error.message.find("has not been used in project") != std::string::npos ||
         error.message.find("it is disabled") != std::string::npos;
}

std::string in_project(std::string_view project) {
  return project.empty() ? std::string() : fmt::format(" --project {}", project);
}

}  // namespace

ServiceCaller::ServiceCaller(std::unique_ptr<core::HttpTransport> transport, std::string root,
                             core::AccessTokenSource& tokens, ServiceInfo info,
                             std::string quota_project, BackoffSleep sleep, RetrySchedule schedule)
    : transport_(std::move(transport)),
      root_(std::move(root)),
      tokens_(tokens),
      info_(std::move(info)),
      quota_project_(std::move(quota_project)),
      sleep_(std::move(sleep)),
      schedule_(schedule) {
  if (!sleep_) {
    sleep_ = [](std::chrono::milliseconds delay) { return util::sleep_unless_cancelled(delay); };
  }
}

Result<std::string> ServiceCaller::bearer(std::string_view what) {
  auto token = tokens_.token();
  if (!token) {
    return fail(
        token.error().context(fmt::format("{}: no access token for {}", what, info_.title)));
  }
  return "Bearer " + token->value;
}

Result<core::HttpResponse> ServiceCaller::send(core::HttpRequest request, Repeat repeat,
                                               std::string_view what, const BodyOpener& open_body) {
  TRY_ASSIGN(std::string authorization, bearer(what));
  const std::string target = root_ + request.target;
  std::vector<core::HttpHeader> headers = std::move(request.headers);
  headers.push_back({"Accept", "application/json"});
  if (!quota_project_.empty()) {
    headers.push_back({"x-goog-user-project", quota_project_});
  }
  request.target = target;
  request.retryable = false;
  bool token_refreshed = false;
  std::chrono::milliseconds slept{0};
  int attempt = 1;
  // Whether another try is due after this one; sleeps the back-off first.
  const auto again = [&](std::string_view retry_after, std::string_view why) -> Result<bool> {
    if (attempt >= schedule_.max_attempts || slept >= schedule_.total_limit) {
      return false;
    }
    const std::chrono::milliseconds delay = std::min(
        backoff_delay(schedule_, attempt, jitter(), retry_after), schedule_.total_limit - slept);
    log::debug("gcp {}: {}; trying again in {} ms (try {} of {})", info_.title, why, delay.count(),
               attempt + 1, schedule_.max_attempts);
    if (!sleep_(delay)) {
      return fail(ErrorCode::kCancelled,
                  fmt::format("cancelled while waiting to call {} again", info_.title));
    }
    slept += delay;
    ++attempt;
    return true;
  };
  while (true) {
    request.headers = headers;
    request.headers.push_back({"Authorization", authorization});
    if (open_body) {
      TRY_ASSIGN(request.body_source, open_body());
    }
    log::debug("gcp {}: {} {}", info_.title, core::to_string(request.method), target);
    auto response = transport_->send(request);
    if (!response) {
      const Error& failure = response.error();
      if (failure.code == ErrorCode::kCancelled) {
        return fail(failure);
      }
      if (failure.code == ErrorCode::kUnavailable && repeat == Repeat::kIdempotent) {
        TRY_ASSIGN(const bool retry, again({}, failure.message));
        if (retry) {
          continue;
        }
      }
      return fail(
          failure.code == ErrorCode::kTimeout ? ErrorCode::kTimeout : ErrorCode::kUnavailable,
          fmt::format("{}: {} at {} did not answer: {}", what, info_.title, endpoint(),
                      failure.message),
          "check the network connection and any proxy settings, then try again");
    }
    if (response->status == 401 && !token_refreshed) {
      // The token may have expired or been revoked since it was handed out: one fresh try.
      token_refreshed = true;
      log::debug("gcp {}: the access token was refused; fetching it again", info_.title);
      TRY_ASSIGN(authorization, bearer(what));
      continue;
    }
    const bool transient =
        !response->ok() && (repeat == Repeat::kIdempotent
                                ? is_transient(parse_google_error(response->status, response->body))
                                : response->status == 429);
    if (transient) {
      TRY_ASSIGN(const bool retry,
                 again(response->header("Retry-After"),
                       fmt::format("{} answered HTTP {}", what, response->status)));
      if (retry) {
        continue;
      }
    }
    return std::move(*response);
  }
}

Error ServiceCaller::error(const core::HttpResponse& response, std::string_view what,
                           std::string_view project) const {
  return service_error(info_, parse_google_error(response.status, response.body), what, project,
                       tokens_.describe());
}

Error service_error(const ServiceInfo& info, const GoogleError& error, std::string_view what,
                    std::string_view project, std::string_view credentials) {
  std::string said = fmt::format("HTTP {}", error.http_status);
  if (!error.reason.empty()) {
    said += " " + error.reason;
  }
  if (!error.message.empty()) {
    said += ": " + error.message;
  } else if (!error.from_google) {
    said += fmt::format(" (not an answer from the {} API)", info.title);
  }
  const std::string message = util::redact(fmt::format("{} failed: {}", what, said));
  const int status = error.http_status;
  if (status == 401) {
    return {ErrorCode::kPermissionDenied,
            util::redact(fmt::format("{} failed: Google refused the access token of {} ({})", what,
                                     credentials, said)),
            "sign in again (`gcloud auth application-default login`), or check "
            "GOOGLE_APPLICATION_CREDENTIALS"};
  }
  if (is_api_disabled(error)) {
    return {ErrorCode::kPrecondition, message,
            fmt::format("enable the {} API: `gcloud services enable {}{}`, wait a minute, and "
                        "run again",
                        info.title, info.service, in_project(project))};
  }
  if (status == 403 && !is_transient(error)) {
    return {ErrorCode::kPermissionDenied, message,
            fmt::format("grant {} the role {} in the project (`gcloud projects "
                        "add-iam-policy-binding PROJECT --member=... --role={}`), and check that "
                        "the {} API is enabled (`gcloud services enable {}{}`)",
                        credentials, info.role, info.role, info.title, info.service,
                        in_project(project))};
  }
  if (status == 404) {
    return {ErrorCode::kNotFound, message,
            project.empty()
                ? std::string()
                : fmt::format("check that the project \"{}\" is the one you mean", project)};
  }
  if (status == 409 || status == 412) {
    return {ErrorCode::kConflict, message, {}};
  }
  if (status == 400) {
    return {ErrorCode::kInvalidInput, message, {}};
  }
  if (is_transient(error)) {
    return {ErrorCode::kUnavailable, message,
            fmt::format("{} is busy or failing; try again in a few minutes "
                        "(https://status.cloud.google.com)",
                        info.title)};
  }
  return {ErrorCode::kFailure, message, {}};
}

}  // namespace deepdock::adapters::gcp
