#pragma once
// HttpTransport: the one way any adapter speaks HTTP. The real implementation is libcurl
// (adapters/http); tests use tests/fakes/fake_transport.hpp, which records requests.
//
// A transport is bound to one endpoint (a unix socket, or http(s)://host:port with TLS
// settings); requests carry only the path and query.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace deepdock::core {

enum class HttpMethod { kGet, kHead, kPost, kPut, kDelete };
std::string_view to_string(HttpMethod method);

struct HttpHeader {
  std::string name;
  std::string value;
};

// Supplies a request body piece by piece (large uploads: build contexts, archives).
// Fills `buffer` with up to `capacity` bytes and returns how many it wrote; 0 means done.
using BodySource = std::function<Result<size_t>(char* buffer, size_t capacity)>;

// Receives the body of a 2xx response as it arrives (any other status keeps its body in
// HttpResponse::body, so the error message can be read). Return false to stop the transfer
// early; the request then ends with ErrorCode::kCancelled.
using BodySink = std::function<bool(std::string_view chunk)>;

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string target;  // path and query, e.g. "/v1.41/images/json?all=1"
  std::vector<HttpHeader> headers;
  std::string body;                   // used when body_source is empty
  BodySource body_source;             // streamed upload
  std::optional<uint64_t> body_size;  // length of the streamed upload, if known
  BodySink on_body;                   // streamed download; when set, response.body stays empty
  // Overall time limit; zero means none (streams such as logs -f or a long build).
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  // Retried with back-off on connection failures and 502/503/504, only if true. Defaults
  // to the method's idempotency; a POST that is safe to repeat may set it explicitly.
  std::optional<bool> retryable;

  [[nodiscard]] bool is_retryable() const;
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;

  // Case-insensitive header lookup; empty when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
  [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
};

// A connection the server took over after answering a request with `Connection: Upgrade`
// (the Engine API's hijacked exec and attach streams): raw bytes both ways, no HTTP framing.
class RawStream {
 public:
  virtual ~RawStream() = default;

  // The answer that opened the stream: 101 Switching Protocols, or a 2xx from an engine
  // that hijacks the connection without upgrading it. Any other status is an answer only:
  // its body is in response().body and the stream is already at its end.
  [[nodiscard]] virtual const HttpResponse& response() const = 0;

  // The socket, for poll(2); -1 once closed. Bytes already taken off the socket (the rest
  // of the answer's head, a decrypted TLS record) do not wake poll, so drain with
  // read(buffer, 0ms) until it returns 0 before polling.
  [[nodiscard]] virtual int fd() const = 0;
  // Reads up to buffer.size() bytes, waiting up to `timeout` for the first. Returns the
  // count: 0 means nothing arrived in time, or the peer closed its side (then at_end()).
  virtual Result<size_t> read(std::span<char> buffer, std::chrono::milliseconds timeout) = 0;
  [[nodiscard]] virtual bool at_end() const = 0;

  // Writes what the connection takes without waiting; may be fewer bytes than given, or 0.
  virtual Result<size_t> write_some(std::string_view data) = 0;
  // Writes all of `data`, waiting for the connection up to `timeout` (zero: no limit).
  virtual Status write_all(std::string_view data, std::chrono::milliseconds timeout) = 0;
  // Half-closes: the peer reads end-of-file (a container process sees EOF on stdin) while
  // this side still reads what the peer sends.
  virtual Status close_write() = 0;
  // Closes the connection; later calls fail. The destructor closes too.
  virtual void close() = 0;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends one request. Transport-level failures (cannot connect, timeout, cancelled) are
  // errors; any HTTP status, including 4xx/5xx, is a response.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
  // Sends `request` on a connection of its own, asking to upgrade it (the caller adds
  // `Connection: Upgrade` and `Upgrade: ...`), and hands the connection over as a stream.
  // Not retried; on_body and body_source are not supported. Transport-level failures are
  // errors, as for send(); any HTTP answer is a stream whose response() holds it.
  virtual Result<std::unique_ptr<RawStream>> open_upgraded(const HttpRequest& request) = 0;
  // Human description of the endpoint for messages ("unix:///run/docker.sock").
  [[nodiscard]] virtual std::string endpoint() const = 0;
};

}  // namespace deepdock::core
