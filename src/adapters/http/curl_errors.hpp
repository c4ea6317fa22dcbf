#pragma once
// Turns a failed libcurl transfer into a deepdock Error that names the endpoint and the
// request and says what to do next. Pure, so every mapping is unit-tested.

#include <curl/curl.h>

#include <chrono>
#include <string>

#include "util/error.hpp"

namespace deepdock::adapters::http {

struct TransferFailure {
  CURLcode code = CURLE_OK;
  long os_errno = 0;        // CURLINFO_OS_ERRNO: why connect() failed, when it did
  std::string detail;       // libcurl's error buffer
  std::string endpoint;     // "unix:///run/docker.sock", "https://host:2376"
  std::string request;      // "GET /v1.43/_ping"
  std::string unix_socket;  // the socket path, for unix-socket transports
  bool connected = false;   // connected, or the overall limit ran out: tells the timeouts apart
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds overall_timeout{0};  // zero: none
};

[[nodiscard]] Error to_error(const TransferFailure& failure);

// Failures a fresh attempt may cure: the server could not be reached, or the connection
// broke before the answer was complete. Never a timeout, a TLS or a permission problem.
[[nodiscard]] bool is_retryable(const TransferFailure& failure);

}  // namespace deepdock::adapters::http
