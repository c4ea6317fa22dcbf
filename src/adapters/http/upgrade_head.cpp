#include "adapters/http/upgrade_head.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "adapters/http/transfer.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::http {
namespace {

constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kHeadEnd = "\r\n\r\n";

bool has_header(const core::HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const core::HttpHeader& h) { return util::iequals(h.name, name); });
}

bool sends_length(const core::HttpRequest& request) {
  return !request.body.empty() || request.method == core::HttpMethod::kPost ||
         request.method == core::HttpMethod::kPut;
}

}  // namespace

std::string upgrade_request_bytes(const core::HttpRequest& request, std::string_view host,
                                  std::string_view user_agent) {
  std::string bytes = fmt::format("{} {} HTTP/1.1\r\n", core::to_string(request.method),
                                  request.target.empty() ? "/" : request.target);
  if (!has_header(request, "Host")) {
    bytes += fmt::format("Host: {}\r\n", host);
  }
  if (!has_header(request, "User-Agent") && !user_agent.empty()) {
    bytes += fmt::format("User-Agent: {}\r\n", user_agent);
  }
  for (const auto& header : request.headers) {
    bytes += fmt::format("{}: {}\r\n", header.name, header.value);
  }
  if (sends_length(request) && !has_header(request, "Content-Length")) {
    bytes += fmt::format("Content-Length: {}\r\n", request.body.size());
  }
  bytes += kLineEnd;
  bytes += request.body;
  return bytes;
}

Result<std::optional<ResponseHead>> parse_response_head(std::string_view received) {
  size_t offset = 0;
  while (true) {
    const std::string_view rest = received.substr(offset);
    // Reject what is not HTTP as soon as the first bytes show it, not after 64 KiB.
    const std::string_view prefix = "HTTP/";
    const size_t compared = std::min(rest.size(), prefix.size());
    if (rest.substr(0, compared) != prefix.substr(0, compared)) {
      return fail(ErrorCode::kFailure,
                  fmt::format("the answer is not HTTP: it starts with \"{}\"",
                              util::trim(rest.substr(0, std::min<size_t>(rest.size(), 40)))));
    }
    const size_t end = rest.find(kHeadEnd);
    if (end == std::string_view::npos) {
      if (received.size() > kMaxResponseHead) {
        return fail(ErrorCode::kFailure,
                    fmt::format("the answer's head is longer than {} bytes", kMaxResponseHead));
      }
      return std::optional<ResponseHead>();
    }
    ResponseHead head;
    std::string_view lines = rest.substr(0, end);
    while (!lines.empty()) {
      const size_t line_end = lines.find(kLineEnd);
      apply_header_line(lines.substr(0, line_end), head.response);
      lines = line_end == std::string_view::npos ? std::string_view()
                                                 : lines.substr(line_end + kLineEnd.size());
    }
    if (head.response.status == 0) {
      return fail(ErrorCode::kFailure,
                  fmt::format("the answer has no valid status line: \"{}\"",
                              rest.substr(0, std::min(rest.find(kLineEnd), size_t{80}))));
    }
    offset += end + kHeadEnd.size();
    const int status = head.response.status;
    if (status >= 100 && status < 200 && status != 101) {
      continue;  // interim: the real answer follows
    }
    head.length = offset;
    return std::optional<ResponseHead>(std::move(head));
  }
}

std::optional<size_t> content_length(const core::HttpResponse& response) {
  const std::string value = response.header("Content-Length");
  size_t length = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
    return std::nullopt;
  }
  return length;
}

}  // namespace deepdock::adapters::http
