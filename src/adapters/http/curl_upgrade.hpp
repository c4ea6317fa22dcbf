#pragma once
// CurlRawStream: the connection behind CurlTransport::open_upgraded. libcurl connects in
// connect-only mode with the transport's settings (unix socket, TCP, TLS with client
// certificates); we write the one request and read the head of its answer by hand
// (upgrade_head.hpp), then bytes flow through curl_easy_send/curl_easy_recv, and the socket
// (CURLINFO_ACTIVESOCKET) is there for poll(2).
//
// close_write() shuts down the socket's sending side, over TLS too: the server reads a TCP
// FIN with no TLS close_notify before it. That is what the docker CLI does for a hijacked
// TLS connection (its tlsClientCon.CloseWrite shuts the raw TCP connection), and dockerd's
// Go TLS reads it as EOF at a record boundary. A TLS server that insists on close_notify
// sees a truncated stream instead; OpenSSL cannot send close_notify and keep reading.

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "adapters/http/transport_config.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::http {

class CurlSession;

class CurlRawStream final : public core::RawStream {
 public:
  // Connects as `config` says, sends `request` and reads the head of the answer. `endpoint`
  // names the server in messages.
  static Result<std::unique_ptr<CurlRawStream>> open(const TransportConfig& config,
                                                     const std::string& endpoint,
                                                     const core::HttpRequest& request);

  ~CurlRawStream() override;
  CurlRawStream(const CurlRawStream&) = delete;
  CurlRawStream& operator=(const CurlRawStream&) = delete;
  CurlRawStream(CurlRawStream&&) = delete;
  CurlRawStream& operator=(CurlRawStream&&) = delete;

  [[nodiscard]] const core::HttpResponse& response() const override { return response_; }
  [[nodiscard]] int fd() const override;
  Result<size_t> read(std::span<char> buffer, std::chrono::milliseconds timeout) override;
  [[nodiscard]] bool at_end() const override { return at_end_ && pending_.empty(); }
  // After it returns 0, call again with the same bytes: a TLS write must be retried so.
  Result<size_t> write_some(std::string_view data) override;
  Status write_all(std::string_view data, std::chrono::milliseconds timeout) override;
  Status close_write() override;
  void close() override;

 private:
  CurlRawStream(std::unique_ptr<CurlSession> session, curl_socket_t socket, std::string endpoint,
                std::string description);

  // One curl_easy_recv: the count, 0 with at_end_ set at the peer's end, nullopt when
  // nothing is there yet.
  Result<std::optional<size_t>> receive(std::span<char> buffer);
  // poll(2) on the socket for `events` up to `timeout`; false when it timed out or a signal
  // interrupted it.
  Result<bool> wait(short events, std::chrono::milliseconds timeout) const;
  Status read_head(std::chrono::steady_clock::time_point deadline);
  // The body of an answer that refused the upgrade, so its message can be read.
  void read_refusal_body(std::chrono::steady_clock::time_point deadline);
  [[nodiscard]] Error lost(std::string_view what, CURLcode code) const;

  std::unique_ptr<CurlSession> session_;  // owns the easy handle and so the connection
  curl_socket_t socket_;
  std::string endpoint_;
  std::string description_;  // "POST /v1.41/exec/3f2a/start", for messages
  core::HttpResponse response_;
  std::string pending_;  // received after the answer's head, not yet read
  bool at_end_ = false;
  bool write_closed_ = false;
};

}  // namespace deepdock::adapters::http
