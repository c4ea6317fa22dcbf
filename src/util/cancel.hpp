#pragma once
// Cooperative cancellation. The CLI installs a SIGINT/SIGTERM handler that sets a flag;
// long operations (HTTP transfers, waits, retries' back-off sleeps) poll it and stop
// with ErrorCode::kCancelled, so the command exits 130 after cleaning up.

#include <chrono>

namespace deepdock::util {

// Installs handlers for SIGINT and SIGTERM that request cancellation. A second signal
// restores the default action so a stuck process can still be killed.
void install_cancel_handlers();

bool cancel_requested();
void request_cancel();
// Forgets a request: tests, and a command whose normal end is Ctrl-C (`tunnel`).
void reset_cancel();

// Sleeps up to `duration`, waking early on cancellation. Returns false if cancelled.
bool sleep_unless_cancelled(std::chrono::milliseconds duration);

}  // namespace deepdock::util
