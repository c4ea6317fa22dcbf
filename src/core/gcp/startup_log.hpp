#pragma once
// Reading a VM's serial console for the startup script's outcome (api-reference A.8): the
// guest agent logs "startup-script exit status 0" and "Finished running startup scripts."
// when it is done, and `Script "startup-script" failed with error: exit status N` when it
// failed, often behind a syslog prefix, so lines are matched by substring. The serial
// output arrives in chunks that may end mid-line; the splitter keeps the partial line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::core {

enum class StartupLineKind { kOther, kSucceeded, kFinished, kFailed };

struct StartupLine {
  StartupLineKind kind = StartupLineKind::kOther;
  int exit_status = 0;  // kFailed: N of "exit status N" (-1 when it names none)
};

StartupLine classify_startup_line(std::string_view line);

// Cuts serial output into lines ('\r' dropped), keeping an unfinished last line for the
// next chunk.
class SerialLineSplitter {
 public:
  std::vector<std::string> feed(std::string_view chunk);
  // The unfinished line, if any (for a final flush).
  std::optional<std::string> rest();

 private:
  std::string partial_;
};

}  // namespace deepdock::core
