#pragma once
// Following a VM's startup script on its serial console (api-reference A.8) until the
// guest agent says it finished: every new line goes to a callback as it arrives; a failure
// comes back with the script's last lines; bytes the console's ring buffer dropped are
// noted; a timeout names the last line seen.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/gcp_deps.hpp"

namespace deepdock::app {

struct StartupScriptFollow {
  std::string project;
  std::string zone;
  std::string name;
  int64_t start = 0;  // serial offset to read from (a previous result's next_offset)
  std::chrono::seconds timeout{1800};
  std::chrono::milliseconds poll_interval{2000};
};

struct StartupScriptResult {
  int64_t next_offset = 0;
  size_t lines_seen = 0;
  std::vector<std::string> notes;  // "N bytes of console output were lost"
};

// kFailure when the script failed (its exit status and last ~20 lines in the message),
// kTimeout, kCancelled, or the Compute error of reading the console.
Result<StartupScriptResult> follow_startup_script(
    GcpDeps& deps, const StartupScriptFollow& follow,
    const std::function<void(std::string_view)>& on_line);

}  // namespace deepdock::app
