#pragma once
// Errors are values: every fallible function at a module boundary returns Result<T>.
// An Error says what failed, on what, and what to do next; the CLI turns it into a
// message and an exit code in one place.

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace deepdock {

enum class ErrorCode {
  kFailure,           // generic failure (exit 1)
  kInvalidInput,      // bad flag, bad spec (exit 2)
  kPrecondition,      // host or engine not in a usable state (exit 3)
  kIncompatible,      // versions/hardware that cannot work together (exit 3)
  kCancelled,         // the user pressed Ctrl-C (exit 130)
  kNotFound,          // object absent (exit 1)
  kConflict,          // object in the wrong state or name in use (exit 1)
  kTimeout,           // took too long (exit 1)
  kUnavailable,       // cannot reach a service; may succeed later (exit 1 or 3)
  kPermissionDenied,  // not allowed (exit 3)
};

struct Error {
  ErrorCode code = ErrorCode::kFailure;
  std::string message;  // what failed, on what
  std::string hint;     // what to do next; may be empty
  // The command already showed this failure in its own output (e.g. a --json document that
  // holds the conflict): the CLI only sets the exit code.
  bool reported = false;
  // A command's own exit status to pass through (`deepdock exec`: the command's); 0 = the
  // code's usual status.
  int exit_status = 0;

  // Prefixes context to the message ("pulling nvidia/cuda:12.4" gives "pulling
  // nvidia/cuda:12.4: <message>"), keeping code and hint.
  [[nodiscard]] Error context(std::string_view what) const;
  [[nodiscard]] int exit_code() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = Result<void>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}
inline tl::unexpected<Error> fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

std::string_view to_string(ErrorCode code);

}  // namespace deepdock

// TRY(expr): evaluate a Result; on error return it from the enclosing function.
#define DEEPDOCK_CONCAT_INNER(a, b) a##b
#define DEEPDOCK_CONCAT(a, b) DEEPDOCK_CONCAT_INNER(a, b)
#define TRY(expr)                                                     \
  do {                                                                \
    auto DEEPDOCK_CONCAT(try_result_, __LINE__) = (expr);             \
    if (!DEEPDOCK_CONCAT(try_result_, __LINE__)) {                    \
      return ::tl::unexpected<::deepdock::Error>(                     \
          std::move(DEEPDOCK_CONCAT(try_result_, __LINE__)).error()); \
    }                                                                 \
  } while (false)

// TRY_ASSIGN(lhs, expr): like TRY, and on success moves the value into lhs. `lhs` may be a
// declaration ("const auto x"), so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define TRY_ASSIGN(lhs, expr)                                      \
  auto DEEPDOCK_CONCAT(try_value_, __LINE__) = (expr);             \
  if (!DEEPDOCK_CONCAT(try_value_, __LINE__)) {                    \
    return ::tl::unexpected<::deepdock::Error>(                    \
        std::move(DEEPDOCK_CONCAT(try_value_, __LINE__)).error()); \
  }                                                                \
  lhs = std::move(*DEEPDOCK_CONCAT(try_value_, __LINE__))
// NOLINTEND(bugprone-macro-parentheses)
