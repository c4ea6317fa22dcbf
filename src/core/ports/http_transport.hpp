#pragma once
// HttpTransport: the one way any adapter speaks HTTP. The real implementation is libcurl
// (adapters/http); tests use tests/fakes/fake_transport.hpp, which records requests.
//
// A transport is bound to one endpoint (a unix socket, or http(s)://host:port with TLS
// settings); requests carry only the path and query.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
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

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends one request. Transport-level failures (cannot connect, timeout, cancelled) are
  // errors; any HTTP status, including 4xx/5xx, is a response.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
  // Human description of the endpoint for messages ("unix:///run/docker.sock").
  [[nodiscard]] virtual std::string endpoint() const = 0;
};

}  // namespace deepdock::core
