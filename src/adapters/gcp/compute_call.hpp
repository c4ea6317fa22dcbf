#pragma once
// One Compute Engine call as the API wants it made: a bearer token from the token source on
// every request (never logged), the quota project, JSON, and patience. Answers that say
// "later" (429, 5xx, a 403 rate limit) and lost connections are tried again with exponential
// back-off and jitter, within a bounded number of tries and time; a 401 fetches the token
// again once. Mutating calls carry their ?requestId in the target, so a repeat is harmless.
//
// The transport's own retries are switched off (HttpRequest::retryable = false): this is the
// one place that decides.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/ports/access_token_source.hpp"
#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// Sleeps for the back-off; returns false when the wait was cancelled (Ctrl-C). Tests pass
// one that returns at once and records the delays.
using BackoffSleep = std::function<bool(std::chrono::milliseconds)>;

struct RetrySchedule {
  int max_attempts = 6;  // the first try counts
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{std::chrono::seconds(8)};
  // No further try once the back-off slept this long in all.
  std::chrono::milliseconds total_limit{std::chrono::seconds(30)};
};

// The pause after try number `attempt` (1-based): base * 2^(attempt-1), capped at max_delay,
// half of it fixed and half scaled by `jitter` in [0, 1]. A Retry-After of whole seconds,
// when longer, is honoured up to max_delay.
std::chrono::milliseconds backoff_delay(const RetrySchedule& schedule, int attempt, double jitter,
                                        std::string_view retry_after = {});

struct ComputeRequest {
  core::HttpMethod method = core::HttpMethod::kGet;
  std::string target;               // "/compute/v1/projects/p/zones?pageToken=..."
  std::optional<std::string> body;  // JSON; none for GET, DELETE and bodiless POSTs
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

class ComputeCaller {
 public:
  ComputeCaller(std::unique_ptr<core::HttpTransport> transport, core::AccessTokenSource& tokens,
                std::string quota_project, BackoffSleep sleep, RetrySchedule schedule);

  // The last answer, whatever its status, once no further try is due; an error when no
  // answer came (`what` names the call: "listing zones of project p"), when no token could
  // be had, or when the back-off was cancelled.
  Result<core::HttpResponse> send(const ComputeRequest& request, std::string_view what);

  // Where the tokens come from, for messages (no secret in it).
  [[nodiscard]] std::string credentials() const { return tokens_.describe(); }
  [[nodiscard]] std::string endpoint() const { return transport_->endpoint(); }

 private:
  Result<std::string> bearer(std::string_view what);
  // Sleeps before the try after `attempt`; false when out of tries, time, or cancelled.
  Result<bool> back_off(int attempt, std::string_view retry_after, std::string_view why,
                        std::chrono::milliseconds& slept);

  std::unique_ptr<core::HttpTransport> transport_;
  core::AccessTokenSource& tokens_;
  std::string quota_project_;
  BackoffSleep sleep_;
  RetrySchedule schedule_;
};

}  // namespace deepdock::adapters::gcp
