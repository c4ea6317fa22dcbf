#include "adapters/gcp/compute_call.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <utility>

#include "adapters/gcp/compute_errors.hpp"
#include "adapters/gcp/compute_json.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::gcp {
namespace {

double jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

std::chrono::milliseconds backoff_delay(const RetrySchedule& schedule, int attempt, double jitter,
                                        std::string_view retry_after) {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const int64_t base = std::max<int64_t>(schedule.base_delay.count(), 0);
  const int64_t cap = std::max<int64_t>(schedule.max_delay.count(), 0);
  const int64_t full = base > (cap >> doublings) ? cap : std::min(base << doublings, cap);
  const int64_t half = full / 2;
  int64_t delay =
      half + static_cast<int64_t>(static_cast<double>(full - half) * std::clamp(jitter, 0.0, 1.0));
  if (!retry_after.empty()) {
    const int64_t asked = std::strtoll(std::string(retry_after).c_str(), nullptr, 10) * 1000;
    delay = std::max(delay, std::min(asked, cap));
  }
  return std::chrono::milliseconds(delay);
}

ComputeCaller::ComputeCaller(std::unique_ptr<core::HttpTransport> transport,
                             core::AccessTokenSource& tokens, std::string quota_project,
                             BackoffSleep sleep, RetrySchedule schedule)
    : transport_(std::move(transport)),
      tokens_(tokens),
      quota_project_(std::move(quota_project)),
      sleep_(std::move(sleep)),
      schedule_(schedule) {
  if (!sleep_) {
    sleep_ = [](std::chrono::milliseconds delay) { return util::sleep_unless_cancelled(delay); };
  }
}

Result<std::string> ComputeCaller::bearer(std::string_view what) {
  auto token = tokens_.token();
  if (!token) {
    return fail(token.error().context(fmt::format("{}: no access token for Compute Engine", what)));
  }
  return "Bearer " + token->value;
}

Result<bool> ComputeCaller::back_off(int attempt, std::string_view retry_after,
                                     std::string_view why, std::chrono::milliseconds& slept) {
  if (attempt >= schedule_.max_attempts || slept >= schedule_.total_limit) {
    return false;
  }
  const std::chrono::milliseconds delay = std::min(
      backoff_delay(schedule_, attempt, jitter(), retry_after), schedule_.total_limit - slept);
  log::debug("gcp compute: {}; trying again in {} ms (try {} of {})", why, delay.count(),
             attempt + 1, schedule_.max_attempts);
  if (!sleep_(delay)) {
    return fail(ErrorCode::kCancelled, "cancelled while waiting to call Compute Engine again");
  }
  slept += delay;
  return true;
}

Result<core::HttpResponse> ComputeCaller::send(const ComputeRequest& request,
                                               std::string_view what) {
  TRY_ASSIGN(std::string authorization, bearer(what));
  bool token_refreshed = false;
  std::chrono::milliseconds slept{0};
  int attempt = 1;
  while (true) {
    core::HttpRequest http;
    http.method = request.method;
    http.target = request.target;
    http.headers = {{"Authorization", authorization}, {"Accept", "application/json"}};
    if (request.body) {
      http.headers.push_back({"Content-Type", "application/json"});
      http.body = *request.body;
    }
    if (!quota_project_.empty()) {
      http.headers.push_back({"x-goog-user-project", quota_project_});
    }
    http.timeout = request.timeout;
    http.retryable = false;
    log::debug("gcp compute: {} {}", core::to_string(request.method), request.target);
    auto response = transport_->send(http);
    if (!response) {
      const Error& error = response.error();
      if (error.code == ErrorCode::kUnavailable) {
        TRY_ASSIGN(const bool again, back_off(attempt++, {}, error.message, slept));
        if (again) {
          continue;
        }
      }
      if (error.code == ErrorCode::kCancelled) {
        return fail(error);
      }
      return fail(error.code == ErrorCode::kTimeout ? ErrorCode::kTimeout : ErrorCode::kUnavailable,
                  fmt::format("{}: Compute Engine at {} did not answer: {}", what,
                              transport_->endpoint(), error.message),
                  "check the network connection and any proxy settings, then try again");
    }
    if (response->status == 401 && !token_refreshed) {
      // The token may have expired or been revoked since it was handed out: one fresh try.
      token_refreshed = true;
      log::debug("gcp compute: the access token was refused; fetching it again");
      TRY_ASSIGN(authorization, bearer(what));
      continue;
    }
    if (!response->ok() && is_transient(parse_google_error(response->status, response->body))) {
      TRY_ASSIGN(const bool again,
                 back_off(attempt++, response->header("Retry-After"),
                          fmt::format("{} answered HTTP {}", what, response->status), slept));
      if (again) {
        continue;
      }
    }
    return std::move(*response);
  }
}

}  // namespace deepdock::adapters::gcp
