#include "adapters/http/curl_transport.hpp"

#include <fmt/format.h>

#include <random>
#include <utility>

#include "adapters/http/curl_errors.hpp"
#include "adapters/http/curl_session.hpp"
#include "adapters/http/header_log.hpp"
#include "adapters/http/request_setup.hpp"
#include "adapters/http/retry_policy.hpp"
#include "adapters/http/transfer.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::http {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const core::HttpRequest& request) {
  return fmt::format("{} {}", core::to_string(request.method), request.target);
}

long elapsed_ms(Clock::time_point start) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

double jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

// What one attempt ended with: a response, or a failure with what is needed to judge it.
struct Outcome {
  CURLcode code = CURLE_OK;
  TransferFailure failure;
};

Outcome run_attempt(CurlSession& session, const TransportConfig& config,
                    const std::string& endpoint, const core::HttpRequest& request,
                    Transfer& transfer) {
  CURL* easy = session.easy();
  curl_easy_reset(easy);  // drops the last request's options, keeps the connections
  CurlHeaderList headers;
  CURLcode code = configure_request(easy, config, request, headers);
  if (code == CURLE_OK) {
    code = transfer.install(easy);
  }
  if (code == CURLE_OK) {
    code = session.perform();
  }
  Outcome outcome{code, {}};
  if (code == CURLE_OK) {
    return outcome;
  }
  TransferFailure& failure = outcome.failure;
  failure.code = code;
  failure.detail = transfer.curl_error.data();
  failure.endpoint = endpoint;
  failure.request = describe(request);
  failure.unix_socket = config.unix_socket;
  failure.connect_timeout = config.connect_timeout;
  failure.overall_timeout = request.timeout;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &failure.os_errno);
  failure.connected = transfer.connected;
  return outcome;
}

// The error an attempt that did not complete ends with; the caller's own reasons first.
Error error_for(const Outcome& outcome, const Transfer& transfer) {
  const TransferFailure& failure = outcome.failure;
  if (transfer.caller_error) {
    return transfer.caller_error->context(
        fmt::format("{} on {}", failure.request, failure.endpoint));
  }
  if (transfer.stopped_by_receiver) {
    return Error{ErrorCode::kCancelled,
                 fmt::format("{} on {}: transfer stopped by the receiver", failure.request,
                             failure.endpoint),
                 {}};
  }
  return to_error(failure);
}

}  // namespace

CurlTransport::CurlTransport(TransportConfig config)
    : config_(std::move(config)),
      endpoint_(config_.unix_socket.empty() ? config_.base_url : "unix://" + config_.unix_socket) {}

CurlTransport::~CurlTransport() = default;

std::string CurlTransport::endpoint() const {
  return endpoint_;
}

Result<core::HttpResponse> CurlTransport::send(const core::HttpRequest& request) {
  if (util::cancel_requested()) {
    return fail(ErrorCode::kCancelled,
                fmt::format("{} on {} cancelled", describe(request), endpoint_));
  }
  TRY_ASSIGN(std::unique_ptr<CurlSession> session, acquire_session());
  Result<core::HttpResponse> result = send_with_retries(*session, request);
  release_session(std::move(session));
  return result;
}

Result<core::HttpResponse> CurlTransport::send_with_retries(
    CurlSession& session, const core::HttpRequest& request) const {
  const RetryPolicy policy{request.is_retryable() ? config_.max_attempts : 1,
                           config_.retry_base_delay, config_.retry_max_delay};
  const int max_attempts = std::max(policy.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    if (log::enabled(log::Level::kDebug)) {
      log::debug("http: {} on {} (attempt {}/{})", describe(request), endpoint_, attempt,
                 max_attempts);
      log_headers(">", request.headers);
    }
    const auto start = Clock::now();
    Transfer transfer(request);
    const Outcome outcome = run_attempt(session, config_, endpoint_, request, transfer);
    // Bytes the caller has seen, or a stream already consumed, cannot be sent again.
    const bool may_repeat =
        policy.allows_another(attempt) && !transfer.body_delivered && transfer.uploaded == 0;

    std::string retry_reason;
    if (outcome.code == CURLE_OK) {
      const core::HttpResponse& response = transfer.response;
      log::debug("http: {} -> {} in {} ms ({} body bytes kept)", describe(request), response.status,
                 elapsed_ms(start), response.body.size());
      if (log::enabled(log::Level::kDebug)) {
        log_headers("<", response.headers);
      }
      if (!may_repeat || !is_retryable_status(response.status)) {
        return std::move(transfer.response);
      }
      retry_reason = fmt::format("status {}", response.status);
    } else {
      Error error = error_for(outcome, transfer);
      log::debug("http: {} failed after {} ms: {}", describe(request), elapsed_ms(start),
                 error.message);
      if (!may_repeat || transfer.caller_error || transfer.stopped_by_receiver ||
          !is_retryable(outcome.failure)) {
        return fail(std::move(error));
      }
      retry_reason = error.message;
    }

    const auto delay = policy.delay_after(attempt, jitter());
    log::debug("http: retrying {} in {} ms after {}", describe(request), delay.count(),
               retry_reason);
    if (!util::sleep_unless_cancelled(delay)) {
      return fail(ErrorCode::kCancelled, fmt::format("{} on {} cancelled while waiting to retry",
                                                     describe(request), endpoint_));
    }
  }
}

Result<std::unique_ptr<CurlSession>> CurlTransport::acquire_session() {
  {
    std::lock_guard lock(idle_mutex_);
    if (idle_session_) {
      return std::move(idle_session_);
    }
  }
  return CurlSession::create();
}

void CurlTransport::release_session(std::unique_ptr<CurlSession> session) {
  std::lock_guard lock(idle_mutex_);
  if (!idle_session_) {
    idle_session_ = std::move(session);
  }
}

}  // namespace deepdock::adapters::http
