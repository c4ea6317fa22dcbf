#pragma once
// Runs a long local program (debootstrap) and hands its output over line by line as it
// arrives, so the user sees progress. Unlike run_process (which captures output for short
// helpers), the child is tied to deepdock's life: it runs in its own process group, which a
// cancellation (Ctrl-C) kills as a whole, and it can ask the kernel to kill it when deepdock
// dies, even by SIGKILL (PR_SET_PDEATHSIG).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace deepdock::adapters::host {

using OutputLineFn = std::function<void(std::string_view line)>;

struct StreamingOptions {
  // SIGKILL for the child when the thread that started it ends (deepdock exits or is
  // killed). Only the child is covered: its own children see their parent vanish and end
  // when their work is done, or when the cancellation kills the group.
  bool die_with_parent = true;
};

// Runs argv (argv[0] looked up on PATH unless it holds a '/'; no shell) with stdin from
// /dev/null and stdout and stderr merged; each output line, without its newline, goes to
// on_line. Returns the exit code (128 + signal number when killed by a signal). Errors:
// argv[0] not found (kNotFound), not executable (kPermissionDenied), cancellation (kCancelled,
// after killing the child's process group and reaping the child), OS failures (kFailure).
Result<int> run_streaming_process(const std::vector<std::string>& argv, const OutputLineFn& on_line,
                                  const StreamingOptions& options = {});

// The executable `name` found in the directories of $PATH, then in `extra_dirs`; `name`
// itself when it holds a '/' and is executable. nullopt when there is none.
std::optional<std::filesystem::path> find_executable(
    std::string_view name, const std::vector<std::filesystem::path>& extra_dirs = {});

}  // namespace deepdock::adapters::host
