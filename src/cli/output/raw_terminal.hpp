#pragma once
// The local terminal during an attached session (`deepdock shell`): raw mode, so every
// key (Ctrl-C, Ctrl-D, arrows) goes to the container's terminal; its size; and SIGWINCH,
// so a resized window resizes the container's terminal too.

#include <termios.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "core/model/container.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

// Raw mode (cfmakeraw) on a terminal while the object lives. The saved mode comes back
// when it is destroyed, and also when deepdock gets SIGTERM, SIGHUP or SIGQUIT: the handler
// restores the terminal, puts the signal's previous action back and raises it again, so
// the signal then does what it did before (ends the process, or requests cancellation).
// Signals that were ignored stay ignored. One at a time per process.
class RawTerminal {
 public:
  // kPrecondition when `fd` is not a terminal, kConflict when one is already raw.
  static Result<std::unique_ptr<RawTerminal>> enter(int fd);

  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  RawTerminal(RawTerminal&&) = delete;
  RawTerminal& operator=(RawTerminal&&) = delete;

 private:
  RawTerminal() = default;
};

// The size of the terminal on `fd` (TIOCGWINSZ); nullopt when it is not a terminal or
// reports no size.
std::optional<core::TerminalSize> terminal_size(int fd);

// Notices SIGWINCH while it lives (the previous action is put back afterwards). Watches may
// coexist; each sees every signal.
class TerminalResizeWatch {
 public:
  // Remembers the size of the terminal on `fd` as the one already known.
  explicit TerminalResizeWatch(int fd);
  ~TerminalResizeWatch();
  TerminalResizeWatch(const TerminalResizeWatch&) = delete;
  TerminalResizeWatch& operator=(const TerminalResizeWatch&) = delete;
  TerminalResizeWatch(TerminalResizeWatch&&) = delete;
  TerminalResizeWatch& operator=(TerminalResizeWatch&&) = delete;

  // The terminal's new size when a SIGWINCH arrived since the last call and the size
  // differs from the last one known; nullopt otherwise. Cheap: call it often.
  std::optional<core::TerminalSize> resized();
  // resized() as an AttachedExecSpec::resized; valid while this watch lives.
  std::function<std::optional<core::TerminalSize>()> callback();

 private:
  int fd_;
  uint64_t seen_;  // the SIGWINCH count last looked at
  std::optional<core::TerminalSize> known_;
};

}  // namespace deepdock::cli
