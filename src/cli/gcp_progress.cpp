#include "cli/gcp_progress.hpp"

#include <fmt/format.h>

namespace deepdock::cli {

void GcpProgress::line(std::string_view text) {
  if (!quiet_) {
    fmt::print(stderr, "• {}\n", text);
  }
}

void GcpProgress::attempt_finished(const app::GcpAttempt& attempt) {
  if (!quiet_ && attempt.tried) {
    fmt::print(stderr, "  {} ({}): {} after {:.1f} s{}\n", attempt.zone, attempt.region,
               attempt.outcome, attempt.seconds,
               attempt.outcome == "created" ? "" : ": " + attempt.message);
  }
}

}  // namespace deepdock::cli
