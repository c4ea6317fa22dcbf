#pragma once
// FakeTransport: an HttpTransport that records every request and answers from a script.
// Routes match on method and a target prefix (the first route added wins); a route may
// answer once or always. Streamed bodies are delivered to on_body in the chunks given,
// so decoders see the same split frames a socket produces (2xx only, like CurlTransport).

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/ports/http_transport.hpp"
#include "util/strings.hpp"

namespace deepdock::testing {

struct RecordedRequest {
  core::HttpMethod method;
  std::string target;
  std::vector<core::HttpHeader> headers;
  std::string body;  // the streamed body is read in full and kept here too
  std::chrono::milliseconds timeout;

  [[nodiscard]] std::string header(std::string_view name) const {
    for (const auto& h : headers) {
      if (util::iequals(h.name, name)) {
        return h.value;
      }
    }
    return {};
  }
};

struct FakeReply {
  int status = 200;
  std::vector<core::HttpHeader> headers;
  std::vector<std::string> chunks;  // body, delivered piece by piece
  std::optional<Error> error;       // a transport failure instead of a response
};

inline FakeReply reply(int status, std::string body = {},
                       std::vector<core::HttpHeader> headers = {}) {
  FakeReply r;
  r.status = status;
  r.headers = std::move(headers);
  if (!body.empty()) {
    r.chunks.push_back(std::move(body));
  }
  return r;
}

inline FakeReply reply_chunks(int status, std::vector<std::string> chunks,
                              std::vector<core::HttpHeader> headers = {}) {
  FakeReply r;
  r.status = status;
  r.headers = std::move(headers);
  r.chunks = std::move(chunks);
  return r;
}

inline FakeReply transport_error(ErrorCode code, std::string message) {
  FakeReply r;
  r.error = Error{code, std::move(message), {}};
  return r;
}

class FakeTransport : public core::HttpTransport {
 public:
  // Answers `method target*` with `r` every time.
  FakeTransport& on(core::HttpMethod method, std::string target_prefix, FakeReply r) {
    routes_.push_back({method, std::move(target_prefix), std::move(r), false, false});
    return *this;
  }
  // Answers once, then the route is spent and later routes are tried.
  FakeTransport& once(core::HttpMethod method, std::string target_prefix, FakeReply r) {
    routes_.push_back({method, std::move(target_prefix), std::move(r), true, false});
    return *this;
  }

  Result<core::HttpResponse> send(const core::HttpRequest& request) override {
    RecordedRequest recorded{request.method, request.target, request.headers, request.body,
                             request.timeout};
    if (request.body_source) {
      std::string buffer(64 * 1024, '\0');
      while (true) {
        auto n = request.body_source(buffer.data(), buffer.size());
        if (!n) {
          return tl::unexpected(n.error());
        }
        if (*n == 0) {
          break;
        }
        recorded.body.append(buffer.data(), *n);
      }
    }
    requests_.push_back(recorded);
    for (auto& route : routes_) {
      if (route.spent || route.method != request.method ||
          request.target.rfind(route.prefix, 0) != 0) {
        continue;
      }
      if (route.one_shot) {
        route.spent = true;
      }
      const FakeReply& r = route.reply;
      if (r.error) {
        return tl::unexpected(*r.error);
      }
      core::HttpResponse response;
      response.status = r.status;
      response.headers = r.headers;
      // As CurlTransport does: only a 2xx body streams to on_body; any other status keeps
      // its body in the response so the error message can be read.
      const bool stream = request.on_body && r.status >= 200 && r.status < 300;
      for (const auto& chunk : r.chunks) {
        if (stream) {
          if (!request.on_body(chunk)) {
            return fail(ErrorCode::kCancelled, "transfer stopped by the receiver");
          }
        } else {
          response.body += chunk;
        }
      }
      return response;
    }
    return fail(ErrorCode::kFailure, "FakeTransport: no route for " +
                                         std::string(core::to_string(request.method)) + " " +
                                         request.target);
  }

  [[nodiscard]] std::string endpoint() const override { return "unix:///fake/docker.sock"; }

  [[nodiscard]] const std::vector<RecordedRequest>& requests() const { return requests_; }
  // The most recent request whose target starts with prefix; nullptr when none.
  [[nodiscard]] const RecordedRequest* last(std::string_view prefix) const {
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
      if (it->target.rfind(prefix, 0) == 0) {
        return &*it;
      }
    }
    return nullptr;
  }

 private:
  struct Route {
    core::HttpMethod method;
    std::string prefix;
    FakeReply reply;
    bool one_shot;
    bool spent;
  };
  std::vector<Route> routes_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace deepdock::testing
