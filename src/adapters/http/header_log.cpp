#include "adapters/http/header_log.hpp"

#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::http {

std::string_view shown_value(const core::HttpHeader& header) {
  if (util::is_secret_header(header.name) || util::iequals(header.name, "Set-Cookie")) {
    return util::kRedacted;
  }
  return header.value;
}

void log_headers(std::string_view direction, const std::vector<core::HttpHeader>& headers) {
  for (const auto& header : headers) {
    log::debug("http:   {} {}: {}", direction, header.name, shown_value(header));
  }
}

}  // namespace deepdock::adapters::http
