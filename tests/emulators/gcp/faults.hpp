#pragma once
// Injected faults that act before routing: bursts of error answers (429, 503, ...) on the
// requests that match a method and a path pattern, each burst used up after its count.
// Stockouts, quotas and slow operations are the compute state's (they live in operations).

#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "scenario.hpp"

namespace deepdock::gcpemu {

class Faults {
 public:
  explicit Faults(const std::vector<BurstSpec>& bursts);

  // The status to answer this request with instead, when a burst matches it.
  std::optional<int> take(const std::string& method, const std::string& path);

 private:
  struct Burst {
    BurstSpec spec;
    std::regex path;
    int left = 0;
  };
  std::mutex mutex_;
  std::vector<Burst> bursts_;
};

// The Google error body of an injected status (429 rateLimitExceeded, 503 backendError...).
std::string fault_body(int status);

}  // namespace deepdock::gcpemu
