#include "util/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "util/redact.hpp"

namespace deepdock::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Sink> g_sink{nullptr};
std::mutex g_write_mutex;

std::string_view prefix(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug: ";
    case Level::kInfo:
      return "";
    case Level::kWarn:
      return "warning: ";
    case Level::kError:
      return "error: ";
    case Level::kQuiet:
      return "";
  }
  return "";
}

}  // namespace

void set_level(Level level) {
  g_level.store(level);
}
Level level() {
  return g_level.load();
}
bool enabled(Level level) {
  return level >= g_level.load();
}

Sink set_sink(Sink sink) {
  return g_sink.exchange(sink);
}

void write(Level level, std::string_view message) {
  const std::string line = util::redact(message);
  if (Sink sink = g_sink.load(); sink != nullptr) {
    sink(level, line);
    return;
  }
  std::lock_guard lock(g_write_mutex);
  fmt::print(stderr, "{}{}\n", prefix(level), line);
  std::fflush(stderr);
}

}  // namespace deepdock::log
