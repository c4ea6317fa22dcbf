#pragma once
// The only HTTP an upgraded connection speaks by hand: the one request written before the
// server takes the connection over, and the head of its answer (status line and headers,
// "HTTP/1.1 101 UPGRADED"). Everything after the head is the stream's. Pure, unit-tested.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::http {

// The answer's head is small; a longer one means the peer is not an HTTP server.
inline constexpr size_t kMaxResponseHead = size_t{64} * 1024;

// "POST /target HTTP/1.1", Host, User-Agent, the request's headers, Content-Length, a blank
// line, then the body. `host` is the Host header's value ("localhost", "10.0.0.2:2376").
[[nodiscard]] std::string upgrade_request_bytes(const core::HttpRequest& request,
                                                std::string_view host, std::string_view user_agent);

struct ResponseHead {
  core::HttpResponse response;  // status and headers; body empty
  size_t length = 0;            // bytes of `received` the head took, blank line included
};

// The answer's head from the bytes received so far: nullopt while it is incomplete, an
// error when they are not an HTTP/1.x answer. Interim answers (100 Continue) are skipped;
// 101 is final.
[[nodiscard]] Result<std::optional<ResponseHead>> parse_response_head(std::string_view received);

// The Content-Length header's value; nullopt when absent or not a number.
[[nodiscard]] std::optional<size_t> content_length(const core::HttpResponse& response);

}  // namespace deepdock::adapters::http
