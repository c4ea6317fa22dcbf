#pragma once
// Runs a local program as an argument vector (never through a shell) and captures its
// output: credential helpers, ssh, gcloud. stdin is fed from memory, stdout and stderr are
// read concurrently (no deadlock on full pipes), and the child is killed on timeout or
// when the user cancels.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace deepdock::adapters::host {

struct ProcessResult {
  int exit_code = 0;  // 128 + signal number when the child was killed by a signal
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv (argv[0] looked up on PATH) with stdin_data written to its stdin; no shell.
// Times out (kills the child) after timeout. A non-zero exit is a result, not an error;
// errors are: argv[0] not found on PATH (kNotFound), not executable (kPermissionDenied),
// timeout (kTimeout), cancellation (kCancelled), and OS failures (kFailure).
Result<ProcessResult> run_process(const std::vector<std::string>& argv, std::string_view stdin_data,
                                  std::chrono::milliseconds timeout);

}  // namespace deepdock::adapters::host
