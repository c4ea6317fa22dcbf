#pragma once
// Elapsed time from the monotonic clock, in seconds.

#include <ctime>

namespace deepdock::probe {

class Stopwatch {
 public:
  Stopwatch() : start_(now()) {}
  [[nodiscard]] double seconds() const { return now() - start_; }

 private:
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  }
  double start_;
};

}  // namespace deepdock::probe
