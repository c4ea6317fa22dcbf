#pragma once
// The state of one attempt at a request, shared with libcurl's callbacks: the response
// as it is parsed, where body bytes go, and what stopped the transfer early.

#include <curl/curl.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::http {

struct Transfer {
  explicit Transfer(const core::HttpRequest& req) : request(&req) {}

  const core::HttpRequest* request;
  core::HttpResponse response;
  // Bytes went to request->on_body: the caller has seen them, so the attempt is final.
  bool body_delivered = false;
  bool stopped_by_receiver = false;
  bool connected = false;             // a connection (new or reused) was ready for the request
  uint64_t uploaded = 0;              // bytes taken from request->body_source
  std::optional<Error> caller_error;  // body_source failed, or a callback threw
  std::array<char, CURL_ERROR_SIZE> curl_error{};

  // Installs the prerequest, header, write and (for streamed uploads) read callbacks.
  CURLcode install(CURL* easy);
};

// Applies one raw header line to `response`. A status line ("HTTP/1.1 200 OK") starts a
// fresh header set, so interim (100 Continue) and redirect headers do not leak into the
// final response; a line starting with blanks continues the previous header's value.
void apply_header_line(std::string_view line, core::HttpResponse& response);

}  // namespace deepdock::adapters::http
