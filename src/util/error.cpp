#include "util/error.hpp"

#include <fmt/format.h>

namespace deepdock {

Error Error::context(std::string_view what) const {
  return Error{code, fmt::format("{}: {}", what, message), hint, reported};
}

int Error::exit_code() const {
  if (exit_status != 0) {
    return exit_status;
  }
  switch (code) {
    case ErrorCode::kInvalidInput:
      return 2;
    case ErrorCode::kPrecondition:
    case ErrorCode::kIncompatible:
    case ErrorCode::kPermissionDenied:
      return 3;
    case ErrorCode::kCancelled:
      return 130;
    case ErrorCode::kFailure:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kTimeout:
    case ErrorCode::kUnavailable:
      return 1;
  }
  return 1;
}

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kFailure:
      return "failure";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kPrecondition:
      return "precondition";
    case ErrorCode::kIncompatible:
      return "incompatible";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
  }
  return "failure";
}

}  // namespace deepdock
