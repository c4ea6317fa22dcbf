#include "app/gcp_startup_script.hpp"

#include <fmt/format.h>

#include <deque>

#include "core/gcp/startup_log.hpp"

namespace deepdock::app {
namespace {

constexpr size_t kTailLines = 20;
constexpr int kReadTries = 3;

std::string joined(const std::deque<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += "\n  " + line;
  }
  return text;
}

}  // namespace

Result<StartupScriptResult> follow_startup_script(
    GcpDeps& deps, const StartupScriptFollow& follow,
    const std::function<void(std::string_view)>& on_line) {
  StartupScriptResult result;
  result.next_offset = follow.start;
  core::SerialLineSplitter splitter;
  std::deque<std::string> tail;
  std::string last_line;
  const auto deadline = deps.now() + follow.timeout;
  int failed_reads = 0;
  while (true) {
    auto output =
        deps.compute.serial_output(follow.project, follow.zone, follow.name, result.next_offset);
    if (!output) {
      if (output.error().code == ErrorCode::kCancelled || ++failed_reads >= kReadTries) {
        return fail(output.error().context(
            fmt::format("reading the serial console of VM {}", follow.name)));
      }
    } else {
      failed_reads = 0;
      if (output->start > result.next_offset) {
        result.notes.push_back(fmt::format(
            "{} bytes of console output were lost before byte {} (the console keeps 1 MB)",
            output->start - result.next_offset, output->start));
      }
      result.next_offset = std::max(output->next, result.next_offset);
      for (std::string& line : splitter.feed(output->contents)) {
        ++result.lines_seen;
        on_line(line);
        const core::StartupLine kind = core::classify_startup_line(line);
        last_line = line;
        tail.push_back(std::move(line));
        if (tail.size() > kTailLines) {
          tail.pop_front();
        }
        if (kind.kind == core::StartupLineKind::kFailed) {
          return fail(ErrorCode::kFailure,
                      fmt::format("the startup script of VM {} failed with exit status {}; its "
                                  "last lines:{}",
                                  follow.name, kind.exit_status, joined(tail)),
                      fmt::format("the whole log: `gcloud compute instances "
                                  "get-serial-port-output {} --zone {} --project {}`",
                                  follow.name, follow.zone, follow.project));
        }
        if (kind.kind == core::StartupLineKind::kSucceeded ||
            kind.kind == core::StartupLineKind::kFinished) {
          return result;
        }
      }
    }
    if (deps.now() >= deadline) {
      return fail(ErrorCode::kTimeout,
                  fmt::format("the startup script of VM {} did not finish within {} s; the last "
                              "line seen: {}",
                              follow.name, follow.timeout.count(),
                              last_line.empty() ? std::string("(none)") : "'" + last_line + "'"),
                  "it may still be running: `deepdock up` follows it again");
    }
    if (!deps.sleep(follow.poll_interval)) {
      return fail(
          ErrorCode::kCancelled,
          fmt::format("interrupted while following the startup script of VM {}", follow.name));
    }
  }
}

}  // namespace deepdock::app
