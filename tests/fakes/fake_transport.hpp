#pragma once
// FakeTransport: an HttpTransport that records every request and answers from a script.
// Routes match on method and a target prefix (the first route added wins); a route may
// answer once or always. Streamed bodies are delivered to on_body in the chunks given,
// so decoders see the same split frames a socket produces (2xx only, like CurlTransport).
//
// Upgraded requests (open_upgraded) are answered by on_upgrade routes: a 101 or 2xx opens a
// real socketpair, whose far end a `serve` function plays as the server on a thread of its
// own (FakeRawStream is the near end); any other status is a refusal with a body.

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
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

// The answer to an upgraded request. With 101 or 2xx, `serve` runs on a thread with the
// server's end of the connection and the end is closed when it returns.
struct FakeUpgrade {
  int status = 101;
  std::vector<core::HttpHeader> headers;
  std::string body;                // a refusal's body
  std::function<void(int)> serve;  // the server's side; nullptr: close at once
};

// Helpers for `serve` functions: plain blocking socket IO.
inline void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      return;
    }
    data.remove_prefix(static_cast<size_t>(sent));
  }
}

// Everything the client sends until it half-closes (or closes) its side.
inline std::string receive_until_end(int fd) {
  std::string received;
  char buffer[4096];
  while (true) {
    const ssize_t count = ::recv(fd, buffer, sizeof buffer, 0);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      return received;
    }
    received.append(buffer, static_cast<size_t>(count));
  }
}

// The client's end of a fake upgraded connection: one end of a socketpair.
class FakeRawStream : public core::RawStream {
 public:
  FakeRawStream(core::HttpResponse response, int fd) : response_(std::move(response)), fd_(fd) {}
  ~FakeRawStream() override { close(); }
  FakeRawStream(const FakeRawStream&) = delete;
  FakeRawStream& operator=(const FakeRawStream&) = delete;

  [[nodiscard]] const core::HttpResponse& response() const override { return response_; }
  [[nodiscard]] int fd() const override { return fd_; }
  Result<size_t> read(std::span<char> buffer, std::chrono::milliseconds timeout) override {
    if (fd_ < 0 || at_end_) {
      return size_t{0};
    }
    pollfd entry{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) {
      return size_t{0};
    }
    const ssize_t count = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (count < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        return size_t{0};
      }
      return fail(ErrorCode::kUnavailable, "FakeRawStream: recv failed");
    }
    at_end_ = count == 0;
    return static_cast<size_t>(count);
  }
  [[nodiscard]] bool at_end() const override { return at_end_ || fd_ < 0; }
  Result<size_t> write_some(std::string_view data) override {
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        return size_t{0};
      }
      return fail(ErrorCode::kUnavailable, "FakeRawStream: send failed");
    }
    return static_cast<size_t>(sent);
  }
  Status write_all(std::string_view data, std::chrono::milliseconds /*timeout*/) override {
    while (!data.empty()) {
      TRY_ASSIGN(const size_t sent, write_some(data));
      data.remove_prefix(sent);
      if (sent == 0) {
        pollfd entry{.fd = fd_, .events = POLLOUT, .revents = 0};
        ::poll(&entry, 1, 50);
      }
    }
    return {};
  }
  Status close_write() override {
    ::shutdown(fd_, SHUT_WR);
    return {};
  }
  void close() override {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  core::HttpResponse response_;
  int fd_;
  bool at_end_ = false;
};

class FakeTransport : public core::HttpTransport {
 public:
  FakeTransport() = default;
  FakeTransport(const FakeTransport&) = delete;
  FakeTransport& operator=(const FakeTransport&) = delete;
  ~FakeTransport() override {
    for (auto& server : servers_) {
      server.join();
    }
  }

  // Answers upgraded requests to `target*` with `upgrade` every time.
  FakeTransport& on_upgrade(std::string target_prefix, FakeUpgrade upgrade) {
    upgrades_.emplace_back(std::move(target_prefix), std::move(upgrade));
    return *this;
  }

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

  Result<std::unique_ptr<core::RawStream>> open_upgraded(
      const core::HttpRequest& request) override {
    requests_.push_back(RecordedRequest{request.method, request.target, request.headers,
                                        request.body, request.timeout});
    const auto route = std::find_if(upgrades_.begin(), upgrades_.end(), [&](const auto& entry) {
      return request.target.rfind(entry.first, 0) == 0;
    });
    if (route == upgrades_.end()) {
      return fail(ErrorCode::kFailure, "FakeTransport: no upgrade route for " + request.target);
    }
    const FakeUpgrade& upgrade = route->second;
    core::HttpResponse response;
    response.status = upgrade.status;
    response.headers = upgrade.headers;
    if (upgrade.status != 101 && (upgrade.status < 200 || upgrade.status >= 300)) {
      response.body = upgrade.body;
      return std::make_unique<FakeRawStream>(std::move(response), -1);
    }
    int ends[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
      return fail(ErrorCode::kFailure, "FakeTransport: socketpair failed");
    }
    servers_.emplace_back([serve = upgrade.serve, server = ends[1]] {
      if (serve) {
        serve(server);
      }
      ::close(server);
    });
    return std::make_unique<FakeRawStream>(std::move(response), ends[0]);
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
  std::vector<std::pair<std::string, FakeUpgrade>> upgrades_;
  std::vector<std::thread> servers_;
};

}  // namespace deepdock::testing
