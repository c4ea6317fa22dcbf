#include "adapters/http/transfer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <exception>

#include "util/strings.hpp"

namespace deepdock::adapters::http {
namespace {

// Only successful bodies stream to the receiver. An error body (a 404's JSON message, a
// 503 that will be retried) is kept in response.body, where the caller can read it.
bool streams_to_receiver(const Transfer& transfer) {
  return transfer.request->on_body && transfer.response.ok();
}

// Runs once a connection, new or reused, is ready and the request is about to go out.
int on_connected(void* user, char* /*primary_ip*/, char* /*local_ip*/, int /*primary_port*/,
                 int /*local_port*/) {
  static_cast<Transfer*>(user)->connected = true;
  return CURL_PREREQFUNC_OK;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const size_t length = size * count;
  apply_header_line(std::string_view(data, length), transfer.response);
  return length;
}

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const size_t length = size * count;
  if (!streams_to_receiver(transfer)) {
    transfer.response.body.append(data, length);
    return length;
  }
  if (length == 0) {
    return 0;
  }
  transfer.body_delivered = true;
  try {
    if (!transfer.request->on_body(std::string_view(data, length))) {
      transfer.stopped_by_receiver = true;
      return 0;  // anything but `length` makes libcurl stop with CURLE_WRITE_ERROR
    }
  } catch (const std::exception& e) {
    transfer.caller_error =
        Error{ErrorCode::kFailure, fmt::format("the response receiver failed: {}", e.what()), {}};
    return 0;
  }
  return length;
}

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const core::HttpRequest& request = *transfer.request;
  const size_t capacity = size * count;
  Result<size_t> produced = size_t{0};
  try {
    produced = request.body_source(buffer, capacity);
  } catch (const std::exception& e) {
    produced =
        fail(ErrorCode::kFailure, fmt::format("the request body source failed: {}", e.what()));
  }
  if (!produced) {
    transfer.caller_error = produced.error();
    return CURL_READFUNC_ABORT;
  }
  if (*produced > capacity) {
    transfer.caller_error = Error{ErrorCode::kFailure,
                                  fmt::format("the request body source wrote {} bytes into a "
                                              "buffer of {}",
                                              *produced, capacity),
                                  {}};
    return CURL_READFUNC_ABORT;
  }
  if (*produced == 0 && request.body_size && transfer.uploaded < *request.body_size) {
    transfer.caller_error = Error{ErrorCode::kInvalidInput,
                                  fmt::format("the request body ended after {} of the {} bytes "
                                              "announced",
                                              transfer.uploaded, *request.body_size),
                                  {}};
    return CURL_READFUNC_ABORT;
  }
  transfer.uploaded += *produced;
  return *produced;
}

}  // namespace

CURLcode Transfer::install(CURL* easy) {
  const curl_write_callback header_callback = &on_header;
  const curl_write_callback write_callback = &on_write;
  const curl_read_callback read_callback = &on_read;
  const curl_prereq_callback prereq_callback = &on_connected;
  void* self = this;
  for (const CURLcode code : {
           curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, prereq_callback),
           curl_easy_setopt(easy, CURLOPT_PREREQDATA, self),
           curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, header_callback),
           curl_easy_setopt(easy, CURLOPT_HEADERDATA, self),
           curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_callback),
           curl_easy_setopt(easy, CURLOPT_WRITEDATA, self),
           curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_error.data()),
       }) {
    if (code != CURLE_OK) {
      return code;
    }
  }
  if (request->body_source) {
    if (const CURLcode code = curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_callback);
        code != CURLE_OK) {
      return code;
    }
    return curl_easy_setopt(easy, CURLOPT_READDATA, self);
  }
  return CURLE_OK;
}

void apply_header_line(std::string_view line, core::HttpResponse& response) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return;
  }
  if (line.starts_with("HTTP/")) {
    response.headers.clear();
    response.status = 0;
    const size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      const std::string_view code = line.substr(space + 1, 3);
      int status = 0;
      const auto [end, error] = std::from_chars(code.data(), code.data() + code.size(), status);
      if (error == std::errc() && end == code.data() + code.size()) {
        response.status = status;
      }
    }
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    if (!response.headers.empty()) {
      auto& value = response.headers.back().value;
      value += ' ';
      value += util::trim(line);
    }
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return;
  }
  response.headers.push_back(core::HttpHeader{std::string(util::trim(line.substr(0, colon))),
                                              std::string(util::trim(line.substr(colon + 1)))});
}

}  // namespace deepdock::adapters::http
