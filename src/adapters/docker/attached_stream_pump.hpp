#pragma once
// The loop of an attached session (`deepdock shell`): bytes from the caller's stdin to an
// upgraded engine connection, and the connection's bytes to stdout, raw (Tty) or split
// into stdout and stderr (the multiplexed stream), all on one thread with poll(2).
//
// Stdin is read only when the last piece was written in full, so a container that stops
// reading stdin holds deepdock back instead of filling its memory, while output keeps
// flowing. At stdin's end the connection is half-closed, so the process sees EOF.

#include <chrono>
#include <functional>

#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

struct AttachedFds {
  int stdin_fd = -1;  // -1: nothing to send
  int stdout_fd = 1;
  int stderr_fd = 2;  // unused with tty
  bool tty = false;   // raw bytes; else the multiplexed stream
};

// The pump wakes at least this often to call on_wake.
inline constexpr std::chrono::milliseconds kPumpWakeInterval{50};

// Runs until the stream ends (Ok), util::cancel_requested() (kCancelled), or the stream,
// a descriptor or the framing fails. on_wake is called on every wake, at least every
// kPumpWakeInterval (`deepdock shell` checks the terminal size there).
Status pump_attached_stream(core::RawStream& stream, const AttachedFds& fds,
                            const std::function<void()>& on_wake);

}  // namespace deepdock::adapters::docker
