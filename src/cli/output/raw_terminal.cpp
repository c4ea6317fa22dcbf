#include "cli/output/raw_terminal.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

namespace deepdock::cli {
namespace {

constexpr std::array<int, 3> kRestoringSignals = {SIGTERM, SIGHUP, SIGQUIT};

// What the signal handler needs, set before it is installed: plain data, read in the
// handler with async-signal-safe calls only.
struct SavedTerminal {
  std::atomic<bool> in_use{false};  // a RawTerminal exists
  std::atomic<bool> active{false};  // the saved mode is still to be restored
  int fd = -1;
  termios mode{};
  std::array<struct sigaction, kRestoringSignals.size()> previous{};
  std::array<bool, kRestoringSignals.size()> installed{};
};
SavedTerminal g_saved;

std::atomic<uint64_t> g_winch_count{0};
std::mutex g_winch_mutex;
int g_winch_watches = 0;
struct sigaction g_winch_previous {};

static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<uint64_t>::is_always_lock_free);

extern "C" void on_restoring_signal(int signal_number) {
  const int saved_errno = errno;
  if (g_saved.active.exchange(false)) {
    tcsetattr(g_saved.fd, TCSANOW, &g_saved.mode);
  }
  for (size_t i = 0; i < kRestoringSignals.size(); ++i) {
    if (kRestoringSignals.at(i) == signal_number) {
      sigaction(signal_number, &g_saved.previous.at(i), nullptr);
    }
  }
  // Blocked while this handler runs: delivered to the previous action as it returns.
  raise(signal_number);
  errno = saved_errno;
}

extern "C" void on_window_change(int /*signal_number*/) {
  g_winch_count.fetch_add(1);
}

}  // namespace

Result<std::unique_ptr<RawTerminal>> RawTerminal::enter(int fd) {
  termios original{};
  if (isatty(fd) != 1 || tcgetattr(fd, &original) != 0) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("fd {} is not a terminal, so it cannot be put in raw mode", fd),
                "run the command from a terminal, or without a terminal for the container");
  }
  if (bool expected = false; !g_saved.in_use.compare_exchange_strong(expected, true)) {
    return fail(ErrorCode::kConflict, "a terminal is already in raw mode");
  }
  g_saved.fd = fd;
  g_saved.mode = original;
  g_saved.installed = {};
  g_saved.active.store(true);
  // From here on, destroying it undoes whatever was done.
  std::unique_ptr<RawTerminal> terminal(new RawTerminal());
  for (size_t i = 0; i < kRestoringSignals.size(); ++i) {
    struct sigaction current {};
    sigaction(kRestoringSignals.at(i), nullptr, &current);
    if (current.sa_handler == SIG_IGN) {
      continue;  // ignored (nohup): it can neither end us nor need a restore
    }
    struct sigaction action {};
    action.sa_handler = on_restoring_signal;
    sigemptyset(&action.sa_mask);
    for (const int other : kRestoringSignals) {
      sigaddset(&action.sa_mask, other);
    }
    g_saved.installed.at(i) =
        sigaction(kRestoringSignals.at(i), &action, &g_saved.previous.at(i)) == 0;
  }
  termios raw = original;
  cfmakeraw(&raw);
  if (tcsetattr(fd, TCSADRAIN, &raw) != 0) {
    return fail(ErrorCode::kFailure, fmt::format("cannot put the terminal on fd {} in raw mode: {}",
                                                 fd, std::strerror(errno)));
  }
  return terminal;
}

RawTerminal::~RawTerminal() {
  if (g_saved.active.exchange(false)) {
    tcsetattr(g_saved.fd, TCSADRAIN, &g_saved.mode);
  }
  for (size_t i = 0; i < kRestoringSignals.size(); ++i) {
    if (g_saved.installed.at(i)) {
      struct sigaction current {};
      sigaction(kRestoringSignals.at(i), nullptr, &current);
      // The handler puts the previous action back itself when it runs.
      if (current.sa_handler == on_restoring_signal) {
        sigaction(kRestoringSignals.at(i), &g_saved.previous.at(i), nullptr);
      }
    }
  }
  g_saved.installed = {};
  g_saved.in_use.store(false);
}

std::optional<core::TerminalSize> terminal_size(int fd) {
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) {
    return std::nullopt;
  }
  return core::TerminalSize{.rows = size.ws_row, .cols = size.ws_col};
}

TerminalResizeWatch::TerminalResizeWatch(int fd) : fd_(fd), known_(terminal_size(fd)) {
  {
    std::lock_guard lock(g_winch_mutex);
    if (g_winch_watches++ == 0) {
      struct sigaction action {};
      action.sa_handler = on_window_change;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;
      sigaction(SIGWINCH, &action, &g_winch_previous);
    }
  }
  seen_ = g_winch_count.load();
}

TerminalResizeWatch::~TerminalResizeWatch() {
  std::lock_guard lock(g_winch_mutex);
  if (--g_winch_watches == 0) {
    sigaction(SIGWINCH, &g_winch_previous, nullptr);
  }
}

std::optional<core::TerminalSize> TerminalResizeWatch::resized() {
  const uint64_t count = g_winch_count.load();
  if (count == seen_) {
    return std::nullopt;
  }
  seen_ = count;
  const std::optional<core::TerminalSize> size = terminal_size(fd_);
  if (!size || (known_ && known_->rows == size->rows && known_->cols == size->cols)) {
    return std::nullopt;
  }
  known_ = size;
  return size;
}

std::function<std::optional<core::TerminalSize>()> TerminalResizeWatch::callback() {
  return [this] { return resized(); };
}

}  // namespace deepdock::cli
