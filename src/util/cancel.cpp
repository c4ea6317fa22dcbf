#include "util/cancel.hpp"

#include <atomic>
#include <csignal>
#include <thread>

namespace deepdock::util {
namespace {

// sig_atomic_t semantics: lock-free atomics are safe in signal handlers.
std::atomic<bool> g_cancelled{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_signal(int signal_number) {
  if (g_cancelled.exchange(true)) {
    std::signal(signal_number, SIG_DFL);
  }
}

}  // namespace

void install_cancel_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and notice the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool cancel_requested() {
  return g_cancelled.load();
}
void request_cancel() {
  g_cancelled.store(true);
}
void reset_cancel() {
  g_cancelled.store(false);
}

bool sleep_unless_cancelled(std::chrono::milliseconds duration) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + duration;
  while (Clock::now() < deadline) {
    if (cancel_requested()) {
      return false;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(20)));
  }
  return !cancel_requested();
}

}  // namespace deepdock::util
