#pragma once
// CurlTransport: the one HttpTransport, over libcurl. Speaks HTTP/1.1 through a unix
// socket (the local Docker engine) or over TCP, with TLS client certificates
// (DOCKER_CERT_PATH style) for https endpoints.
//
// Behaviour callers rely on:
// - Any HTTP status is a response; transport failures are errors: kUnavailable (cannot
//   connect, connection lost; the message names the endpoint), kPermissionDenied (a unix
//   socket we may not open), kTimeout (connect or overall limit), kPrecondition (TLS),
//   kCancelled (util::cancel_requested(), or on_body returned false).
// - request.on_body receives the body of 2xx responses as it arrives. The body of any
//   other status is kept in response.body, so an error message can still be read.
// - Retries, with exponential back-off and jitter, happen only for request.is_retryable():
//   on connection failures and 429/502/503/504, and never once body bytes reached on_body
//   or were taken from body_source. Back-off sleeps stop on cancellation.
// - Thread-safe. A transport keeps one libcurl session (and its keep-alive connection)
//   for sequential requests; a request sent while another is in flight, such as a
//   command next to a `logs -f` stream, gets a session (a connection) of its own.
// - Debug logging (log::Level::kDebug) shows each request and response with its headers;
//   secret headers (util::is_secret_header, Set-Cookie) are printed as <redacted>.

#include <memory>
#include <mutex>
#include <string>

#include "adapters/http/transport_config.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::http {

class CurlSession;

class CurlTransport final : public core::HttpTransport {
 public:
  explicit CurlTransport(TransportConfig config);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  CurlTransport(CurlTransport&&) = delete;
  CurlTransport& operator=(CurlTransport&&) = delete;

  Result<core::HttpResponse> send(const core::HttpRequest& request) override;
  // A connection of its own, in libcurl's connect-only mode (curl_upgrade.cpp).
  Result<std::unique_ptr<core::RawStream>> open_upgraded(const core::HttpRequest& request) override;
  // "unix:///run/docker.sock" or the base URL.
  [[nodiscard]] std::string endpoint() const override;

 private:
  Result<core::HttpResponse> send_with_retries(CurlSession& session,
                                               const core::HttpRequest& request) const;
  // The cached session when it is free, else a new one.
  Result<std::unique_ptr<CurlSession>> acquire_session();
  // Caches the session for the next request unless one is cached already.
  void release_session(std::unique_ptr<CurlSession> session);

  TransportConfig config_;
  std::string endpoint_;
  std::mutex idle_mutex_;
  std::unique_ptr<CurlSession> idle_session_;  // guarded by idle_mutex_
};

}  // namespace deepdock::adapters::http
