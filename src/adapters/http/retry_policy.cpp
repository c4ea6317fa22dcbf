#include "adapters/http/retry_policy.hpp"

#include <algorithm>
#include <cstdint>

namespace deepdock::adapters::http {

bool RetryPolicy::allows_another(int attempt) const {
  return attempt < std::max(max_attempts, 1);
}

std::chrono::milliseconds RetryPolicy::delay_after(int attempt, double jitter) const {
  const int doublings = std::clamp(attempt - 1, 0, 30);
  const int64_t base = std::max<int64_t>(base_delay.count(), 0);
  const int64_t cap = std::max<int64_t>(max_delay.count(), 0);
  // Compare before shifting, so a large base cannot overflow.
  const int64_t full = base > (cap >> doublings) ? cap : std::min(base << doublings, cap);
  const int64_t half = full / 2;
  const double scaled = static_cast<double>(full - half) * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(half + static_cast<int64_t>(scaled));
}

bool is_retryable_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace deepdock::adapters::http
