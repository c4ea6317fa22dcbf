#pragma once
// What the Google Cloud use cases report as they go (trying a zone, each attempt's end,
// stopping or deleting a VM), on stderr in the bullet style of the bootstrap's notes;
// nothing at all when quiet.

#include <string_view>

#include "app/gcp_deps.hpp"

namespace deepdock::cli {

class GcpProgress final : public app::GcpObserver {
 public:
  explicit GcpProgress(bool quiet) : quiet_(quiet) {}
  void line(std::string_view text) override;
  void attempt_finished(const app::GcpAttempt& attempt) override;

 private:
  bool quiet_;
};

}  // namespace deepdock::cli
