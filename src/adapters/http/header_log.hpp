#pragma once
// Debug logging of HTTP headers, with the secret ones (Authorization, X-Registry-Auth,
// cookies) masked: shared by the request transport and the upgraded streams.

#include <string_view>
#include <vector>

#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::http {

// The header's value as a log may show it.
std::string_view shown_value(const core::HttpHeader& header);
// One debug line per header: "http:   > Name: value".
void log_headers(std::string_view direction, const std::vector<core::HttpHeader>& headers);

}  // namespace deepdock::adapters::http
