#pragma once
// Every engine failure becomes an Error here, in one place: HTTP error answers (the daemon's
// `{"message": ...}` body), transport failures (no daemon, no permission on the socket) and
// errors reported inside a pull, push or build stream. Messages start with the action and
// the object it was about ("starting container 3f2a1b: ..."); hints say what to do next.

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::adapters::docker {

// The daemon's message from an error body: the "message" field of the JSON (Docker and
// podman alike), else the trimmed text, else "".
std::string daemon_message(std::string_view body);

// An HTTP answer outside 2xx. `action` names the operation and its object; `endpoint` is
// where the engine was reached.
Error http_error(int status, std::string_view body, std::string_view action,
                 std::string_view endpoint);

// A transport failure (the request got no HTTP answer).
Error transport_error(const Error& error, std::string_view action, std::string_view endpoint);

// An error reported inside a 200 stream (pull, push, build: the `errorDetail` line).
Error stream_error(const Error& error, std::string_view action);

}  // namespace deepdock::adapters::docker
