#include "faults.hpp"

#include "google_errors.hpp"

namespace deepdock::gcpemu {

Faults::Faults(const std::vector<BurstSpec>& bursts) {
  for (const BurstSpec& spec : bursts) {
    bursts_.push_back({spec, std::regex(spec.path), spec.count});
  }
}

std::optional<int> Faults::take(const std::string& method, const std::string& path) {
  std::lock_guard lock(mutex_);
  for (Burst& burst : bursts_) {
    if (burst.left > 0 && (burst.spec.method.empty() || burst.spec.method == method) &&
        std::regex_search(path, burst.path)) {
      --burst.left;
      return burst.spec.status;
    }
  }
  return std::nullopt;
}

std::string fault_body(int status) {
  if (status == 429) {
    return legacy_error(429, "rateLimitExceeded",
                        "Rate Limit Exceeded: too many requests (injected by the scenario).",
                        "usageLimits")
        .dump();
  }
  if (status >= 500) {
    return legacy_error(status, "backendError",
                        "Internal error. Please try again or contact Google Support.")
        .dump();
  }
  return legacy_error(status, "injected", "An error injected by the scenario.").dump();
}

}  // namespace deepdock::gcpemu
