#pragma once
// Diagnostics go to stderr; results go to stdout (the CLI's business). Every line passes
// through redact() so a token can never reach the terminal or a log file.

#include <fmt/format.h>

#include <string_view>

namespace deepdock::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kQuiet = 4 };

void set_level(Level level);
Level level();
bool enabled(Level level);

// Writes one line, redacted, to the sink (stderr unless a test replaced it).
void write(Level level, std::string_view message);

using Sink = void (*)(Level, std::string_view);
// Replace the output sink (tests); nullptr restores stderr. Returns the previous sink.
Sink set_sink(Sink sink);

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kDebug)) {
    write(Level::kDebug, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kInfo)) {
    write(Level::kInfo, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kWarn)) {
    write(Level::kWarn, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kError)) {
    write(Level::kError, fmt::format(format, std::forward<Args>(args)...));
  }
}

}  // namespace deepdock::log
