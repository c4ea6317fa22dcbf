#pragma once
// When, and after how long, an idempotent request is tried again. Pure: the caller
// supplies the random jitter, so tests can pin the schedule.

#include <chrono>

namespace deepdock::adapters::http {

struct RetryPolicy {
  int max_attempts = 4;  // values below 1 mean 1: the request is always sent once
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{std::chrono::seconds(2)};

  // Whether another attempt may follow attempt number `attempt` (1-based).
  [[nodiscard]] bool allows_another(int attempt) const;

  // The pause before the attempt that follows attempt number `attempt` (1-based):
  // base_delay * 2^(attempt-1), capped at max_delay, with "equal jitter": half of it is
  // fixed and half scaled by `jitter` (in [0, 1]), so clients that failed together do
  // not come back together.
  [[nodiscard]] std::chrono::milliseconds delay_after(int attempt, double jitter) const;
};

// Statuses that say "try again later": 429 Too Many Requests, 502, 503 and 504.
[[nodiscard]] bool is_retryable_status(int status);

}  // namespace deepdock::adapters::http
