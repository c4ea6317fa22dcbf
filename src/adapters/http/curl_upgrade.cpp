#include "adapters/http/curl_upgrade.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "adapters/http/curl_errors.hpp"
#include "adapters/http/curl_session.hpp"
#include "adapters/http/curl_transport.hpp"
#include "adapters/http/header_log.hpp"
#include "adapters/http/request_setup.hpp"
#include "adapters/http/upgrade_head.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Waits are cut into slices this long so cancellation is seen promptly.
constexpr milliseconds kWaitSlice{50};
// How long an answer that refused the upgrade may take to deliver its (small) error body.
constexpr milliseconds kRefusalBodyLimit{5000};

Clock::time_point deadline_after(milliseconds timeout) {
  return timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
}

milliseconds left_until(Clock::time_point deadline) {
  if (deadline == Clock::time_point::max()) {
    return kWaitSlice;
  }
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
  return std::clamp(left, milliseconds::zero(), kWaitSlice);
}

// Aborts a connect in progress on cancellation (libcurl asks about once a second).
int on_progress(void* /*user*/, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/,
                curl_off_t /*ultotal*/, curl_off_t /*ulnow*/) {
  return util::cancel_requested() ? 1 : 0;
}

// The Host header for the base URL ("localhost" for a unix socket's "http://localhost").
std::string host_header(const TransportConfig& config) {
  CURLU* url = curl_url();
  if (url == nullptr) {
    return "localhost";
  }
  std::string host = "localhost";
  if (curl_url_set(url, CURLUPART_URL, config.base_url.c_str(), 0) == CURLUE_OK) {
    char* part = nullptr;
    if (curl_url_get(url, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
      host = part;
      curl_free(part);
    }
    if (curl_url_get(url, CURLUPART_PORT, &part, 0) == CURLUE_OK) {
      host += ':';
      host += part;
      curl_free(part);
    }
  }
  curl_url_cleanup(url);
  return host;
}

// Connects in connect-only mode; the failure is described as CurlTransport describes its own.
Status connect(CurlSession& session, const TransportConfig& config, const std::string& endpoint,
               const core::HttpRequest& request, const std::string& description) {
  CURL* easy = session.easy();
  // The URL, socket, TLS and connect-timeout settings of an ordinary request, then connect
  // only: the request itself is written by hand, since libcurl would not hand the
  // connection over after a 101.
  core::HttpRequest connect_request{.target = request.target, .timeout = milliseconds::zero()};
  CurlHeaderList headers;
  std::array<char, CURL_ERROR_SIZE> curl_error{};
  CURLcode code = configure_request(easy, config, connect_request, headers);
  const curl_xferinfo_callback progress = &on_progress;
  for (const CURLcode set : {curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L),
                             curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_error.data()),
                             curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, progress),
                             curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L)}) {
    code = code == CURLE_OK ? set : code;
  }
  if (code == CURLE_OK) {
    code = curl_easy_perform(easy);
  }
  // The error buffer must not outlive this frame.
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  if (code == CURLE_OK) {
    return {};
  }
  if (code == CURLE_ABORTED_BY_CALLBACK && util::cancel_requested()) {
    return fail(ErrorCode::kCancelled, fmt::format("{} on {} cancelled", description, endpoint));
  }
  TransferFailure failure;
  failure.code = code;
  failure.detail = curl_error.data();
  failure.endpoint = endpoint;
  failure.request = description;
  failure.unix_socket = config.unix_socket;
  failure.connect_timeout = config.connect_timeout;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &failure.os_errno);
  return fail(to_error(failure));
}

}  // namespace

Result<std::unique_ptr<core::RawStream>> CurlTransport::open_upgraded(
    const core::HttpRequest& request) {
  TRY_ASSIGN(std::unique_ptr<CurlRawStream> stream,
             CurlRawStream::open(config_, endpoint_, request));
  return std::unique_ptr<core::RawStream>(std::move(stream));
}

CurlRawStream::CurlRawStream(std::unique_ptr<CurlSession> session, curl_socket_t socket,
                             std::string endpoint, std::string description)
    : session_(std::move(session)),
      socket_(socket),
      endpoint_(std::move(endpoint)),
      description_(std::move(description)) {}

CurlRawStream::~CurlRawStream() {
  close();
}

Result<std::unique_ptr<CurlRawStream>> CurlRawStream::open(const TransportConfig& config,
                                                           const std::string& endpoint,
                                                           const core::HttpRequest& request) {
  std::string description =
      fmt::format("{} {} (upgrade)", core::to_string(request.method), request.target);
  if (request.body_source || request.on_body) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} on {}: an upgraded request takes its body in memory and hands "
                            "the connection over instead of a response body",
                            description, endpoint));
  }
  if (util::cancel_requested()) {
    return fail(ErrorCode::kCancelled, fmt::format("{} on {} cancelled", description, endpoint));
  }
  if (log::enabled(log::Level::kDebug)) {
    log::debug("http: {} on {}", description, endpoint);
    log_headers(">", request.headers);
  }
  const auto start = Clock::now();
  const auto deadline = deadline_after(request.timeout);
  TRY_ASSIGN(std::unique_ptr<CurlSession> session, CurlSession::create());
  TRY(connect(*session, config, endpoint, request, description));
  curl_socket_t socket = CURL_SOCKET_BAD;
  if (const CURLcode code = curl_easy_getinfo(session->easy(), CURLINFO_ACTIVESOCKET, &socket);
      code != CURLE_OK || socket == CURL_SOCKET_BAD) {
    return fail(
        ErrorCode::kFailure,
        fmt::format("{} on {}: libcurl gave no socket for the connection", description, endpoint));
  }
  std::unique_ptr<CurlRawStream> stream(
      new CurlRawStream(std::move(session), socket, endpoint, description));
  const milliseconds left =
      request.timeout.count() > 0
          ? std::max(milliseconds(1),
                     std::chrono::duration_cast<milliseconds>(deadline - Clock::now()))
          : milliseconds::zero();
  TRY(stream->write_all(upgrade_request_bytes(request, host_header(config), config.user_agent),
                        left));
  TRY(stream->read_head(deadline));
  const int status = stream->response_.status;
  if (status != 101 && (status < 200 || status >= 300)) {
    stream->read_refusal_body(std::min(deadline, deadline_after(kRefusalBodyLimit)));
  }
  log::debug("http: {} -> {} in {} ms", description, status,
             std::chrono::duration_cast<milliseconds>(Clock::now() - start).count());
  if (log::enabled(log::Level::kDebug)) {
    log_headers("<", stream->response_.headers);
  }
  return stream;
}

Status CurlRawStream::read_head(Clock::time_point deadline) {
  std::string received;
  std::array<char, 4096> buffer{};
  while (true) {
    TRY_ASSIGN(const std::optional<size_t> got, receive(buffer));
    if (got && *got > 0) {
      received.append(buffer.data(), *got);
      auto head = parse_response_head(received);
      if (!head) {
        return fail(head.error().context(fmt::format("{} on {}", description_, endpoint_)));
      }
      if (*head) {
        response_ = std::move((*head)->response);
        pending_ = received.substr((*head)->length);
        return {};
      }
      continue;
    }
    if (at_end_) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("{} on {}: the server closed the connection before answering",
                              description_, endpoint_));
    }
    if (util::cancel_requested()) {
      return fail(ErrorCode::kCancelled,
                  fmt::format("{} on {} cancelled", description_, endpoint_));
    }
    if (Clock::now() >= deadline) {
      return fail(ErrorCode::kTimeout,
                  fmt::format("{} on {}: no answer in time", description_, endpoint_));
    }
    TRY(wait(POLLIN, left_until(deadline)));
  }
}

void CurlRawStream::read_refusal_body(Clock::time_point deadline) {
  const std::optional<size_t> length = content_length(response_);
  std::string body = std::move(pending_);
  pending_.clear();
  std::array<char, 4096> buffer{};
  while (!at_end_ && (!length || body.size() < *length) && Clock::now() < deadline &&
         !util::cancel_requested()) {
    auto got = receive(buffer);
    if (!got) {
      break;  // the status says what happened; a lost body only loses detail
    }
    if (*got) {
      body.append(buffer.data(), **got);
    } else if (!wait(POLLIN, left_until(deadline))) {
      break;
    }
  }
  if (length && body.size() > *length) {
    body.resize(*length);
  }
  response_.body = std::move(body);
  at_end_ = true;
  close();
}

int CurlRawStream::fd() const {
  return session_ ? static_cast<int>(socket_) : -1;
}

Result<std::optional<size_t>> CurlRawStream::receive(std::span<char> buffer) {
  if (!session_) {
    return fail(ErrorCode::kFailure,
                fmt::format("{} on {}: the stream is closed", description_, endpoint_));
  }
  size_t received = 0;
  const CURLcode code = curl_easy_recv(session_->easy(), buffer.data(), buffer.size(), &received);
  if (code == CURLE_AGAIN) {
    return std::optional<size_t>();
  }
  if (code != CURLE_OK) {
    return fail(lost("reading from", code));
  }
  if (received == 0) {
    at_end_ = true;
  }
  return std::optional<size_t>(received);
}

Result<bool> CurlRawStream::wait(short events, milliseconds timeout) const {
  if (!session_) {
    return fail(ErrorCode::kFailure,
                fmt::format("{} on {}: the stream is closed", description_, endpoint_));
  }
  pollfd entry{.fd = socket_, .events = events, .revents = 0};
  const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    return fail(ErrorCode::kFailure, fmt::format("{} on {}: poll failed: {}", description_,
                                                 endpoint_, std::strerror(errno)));
  }
  return ready > 0;
}

Result<size_t> CurlRawStream::read(std::span<char> buffer, milliseconds timeout) {
  if (!pending_.empty()) {
    const size_t count = std::min(buffer.size(), pending_.size());
    std::copy_n(pending_.begin(), count, buffer.begin());
    pending_.erase(0, count);
    return count;
  }
  if (at_end_) {
    return size_t{0};
  }
  TRY_ASSIGN(std::optional<size_t> got, receive(buffer));
  if (!got && timeout.count() > 0) {
    TRY_ASSIGN(const bool ready, wait(POLLIN, timeout));
    if (ready) {
      TRY_ASSIGN(got, receive(buffer));
    }
  }
  return got.value_or(0);
}

Result<size_t> CurlRawStream::write_some(std::string_view data) {
  if (!session_ || write_closed_) {
    return fail(ErrorCode::kFailure,
                fmt::format("{} on {}: the stream is closed for writing", description_, endpoint_));
  }
  if (data.empty()) {
    return size_t{0};
  }
  size_t sent = 0;
  const CURLcode code = curl_easy_send(session_->easy(), data.data(), data.size(), &sent);
  if (code == CURLE_AGAIN) {
    return size_t{0};
  }
  if (code != CURLE_OK) {
    return fail(lost("writing to", code));
  }
  return sent;
}

Status CurlRawStream::write_all(std::string_view data, milliseconds timeout) {
  const auto deadline = deadline_after(timeout);
  while (!data.empty()) {
    TRY_ASSIGN(const size_t sent, write_some(data));
    data.remove_prefix(sent);
    if (sent > 0 || data.empty()) {
      continue;
    }
    if (util::cancel_requested()) {
      return fail(ErrorCode::kCancelled,
                  fmt::format("{} on {} cancelled", description_, endpoint_));
    }
    if (Clock::now() >= deadline) {
      return fail(ErrorCode::kTimeout, fmt::format("{} on {}: the server took no data in time",
                                                   description_, endpoint_));
    }
    TRY(wait(POLLOUT, left_until(deadline)));
  }
  return {};
}

Status CurlRawStream::close_write() {
  if (!session_) {
    return fail(ErrorCode::kFailure,
                fmt::format("{} on {}: the stream is closed", description_, endpoint_));
  }
  if (write_closed_) {
    return {};
  }
  // A TCP (or unix socket) half close; over TLS, see the header.
  if (::shutdown(socket_, SHUT_WR) != 0 && errno != ENOTCONN) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("{} on {}: cannot close the sending side: {}", description_, endpoint_,
                            std::strerror(errno)));
  }
  write_closed_ = true;
  return {};
}

void CurlRawStream::close() {
  // Cleaning up the easy handle closes the connection libcurl kept for it.
  session_.reset();
  socket_ = CURL_SOCKET_BAD;
}

Error CurlRawStream::lost(std::string_view what, CURLcode code) const {
  return Error{ErrorCode::kUnavailable,
               fmt::format("{} on {}: the connection was lost while {} it: {}", description_,
                           endpoint_, what, curl_easy_strerror(code)),
               "check that the engine is still running, then retry"};
}

}  // namespace deepdock::adapters::http
