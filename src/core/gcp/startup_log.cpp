#include "core/gcp/startup_log.hpp"

#include <charconv>

namespace deepdock::core {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

int exit_status_after(std::string_view line, std::string_view marker) {
  const size_t at = line.find(marker);
  if (at == std::string_view::npos) {
    return -1;
  }
  const std::string_view digits = line.substr(at + marker.size());
  int status = -1;
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), status);
  return parsed.ec == std::errc{} ? status : -1;
}

}  // namespace

StartupLine classify_startup_line(std::string_view line) {
  constexpr std::string_view kExit = "exit status ";
  if (contains(line, "Script \"startup-script\" failed with error:")) {
    return {StartupLineKind::kFailed, exit_status_after(line, kExit)};
  }
  if (contains(line, "startup-script exit status ")) {
    const int status = exit_status_after(line, "startup-script exit status ");
    return status == 0 ? StartupLine{StartupLineKind::kSucceeded, 0}
                       : StartupLine{StartupLineKind::kFailed, status};
  }
  if (contains(line, "Finished running startup scripts.")) {
    return {StartupLineKind::kFinished, 0};
  }
  return {};
}

std::vector<std::string> SerialLineSplitter::feed(std::string_view chunk) {
  std::vector<std::string> lines;
  for (const char c : chunk) {
    if (c == '\n') {
      lines.push_back(std::move(partial_));
      partial_.clear();
    } else if (c != '\r') {
      partial_.push_back(c);
    }
  }
  return lines;
}

std::optional<std::string> SerialLineSplitter::rest() {
  if (partial_.empty()) {
    return std::nullopt;
  }
  std::string line = std::move(partial_);
  partial_.clear();
  return line;
}

}  // namespace deepdock::core
