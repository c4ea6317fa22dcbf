// CurlTransport when things go wrong, against real servers and sockets: timeouts,
// unreachable endpoints and retries.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/curl_transport.hpp"
#include "integration/http/test_server.hpp"
#include "integration/http/transport_test_support.hpp"

namespace deepdock::adapters::http {
namespace {

using core::HttpMethod;
using testing::contains;
using testing::make_request;
using testing::ms_since;
using Clock = std::chrono::steady_clock;

// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
int unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                     getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  return bound ? ntohs(address.sin_port) : 1;  // port 1: nothing listens there either
}

class CurlTransportFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& http = server_.http();
    http.Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    http.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      server_.pause(std::chrono::seconds(3));
      res.set_content("late", "text/plain");
    });
    http.Get("/bit-slow", [this](const httplib::Request&, httplib::Response& res) {
      server_.pause(std::chrono::milliseconds(400));
      res.set_content("patience", "text/plain");
    });
    const auto flaky = [this](const httplib::Request&, httplib::Response& res) {
      if (++hits_ <= 2) {
        res.status = 503;
        res.set_content("busy", "text/plain");
        return;
      }
      res.set_content("finally", "text/plain");
    };
    http.Get("/flaky", flaky);
    http.Post("/flaky", flaky);
    http.Get("/busy", [this](const httplib::Request&, httplib::Response& res) {
      ++hits_;
      res.status = 503;
    });
    // Answers 200, then drops the connection before the first body byte, once.
    http.Get("/drops-once", [this](const httplib::Request&, httplib::Response& res) {
      const bool drop = ++hits_ == 1;
      res.set_chunked_content_provider("text/plain", [drop](size_t, httplib::DataSink& sink) {
        if (drop) {
          return false;
        }
        sink.write("whole", 5);
        sink.done();
        return true;
      });
    });
    // Sends part of the body, then drops the connection, every time.
    http.Get("/drops-midway", [this](const httplib::Request&, httplib::Response& res) {
      ++hits_;
      res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
        sink.write("partial", 7);
        return false;
      });
    });
    config_ = testing::fast_config();
    config_.base_url = server_.start_tcp();
  }

  std::atomic<int> hits_{0};
  testing::TestServer server_;
  TransportConfig config_;
};

TEST_F(CurlTransportFailureTest, OverallTimeoutIsTimeoutNamingEndpointAndRequest) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/slow");
  request.timeout = std::chrono::milliseconds(300);
  const auto start = Clock::now();
  auto response = transport.send(request);
  ASSERT_FALSE(response);
  EXPECT_LT(ms_since(start), 1500);
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(contains(response.error().message, "GET /slow")) << response.error().message;
  EXPECT_TRUE(contains(response.error().message, config_.base_url)) << response.error().message;
  EXPECT_TRUE(contains(response.error().message, "300 ms")) << response.error().message;
}

TEST_F(CurlTransportFailureTest, OverallTimeoutOnAReusedConnectionIsNotAConnectTimeout) {
  CurlTransport transport(config_);
  ASSERT_TRUE(transport.send(make_request(HttpMethod::kGet, "/ok")));
  auto request = make_request(HttpMethod::kGet, "/slow");
  request.timeout = std::chrono::milliseconds(300);
  auto response = transport.send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(response.error().message,
            "GET /slow on " + config_.base_url + " timed out after 300 ms");
}

TEST_F(CurlTransportFailureTest, ZeroTimeoutMeansNoOverallLimit) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/bit-slow");
  request.timeout = std::chrono::milliseconds(0);
  auto response = transport.send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "patience");
}

TEST_F(CurlTransportFailureTest, RetryableGetIsRetriedOn503UntilItSucceeds) {
  CurlTransport transport(config_);
  auto response = transport.send(make_request(HttpMethod::kGet, "/flaky"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finally");
  EXPECT_EQ(hits_.load(), 3);
}

TEST_F(CurlTransportFailureTest, PostIsNeverRetried) {
  CurlTransport transport(config_);
  auto response = transport.send(make_request(HttpMethod::kPost, "/flaky", "x"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, "busy");
  EXPECT_EQ(hits_.load(), 1);
}

TEST_F(CurlTransportFailureTest, PostMarkedRetryableIsRetried) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kPost, "/flaky", "x");
  request.retryable = true;
  auto response = transport.send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(hits_.load(), 3);
}

TEST_F(CurlTransportFailureTest, GivesUpAfterMaxAttemptsWithTheLastResponse) {
  config_.max_attempts = 3;
  CurlTransport transport(config_);
  auto response = transport.send(make_request(HttpMethod::kGet, "/busy"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(hits_.load(), 3);
}

TEST_F(CurlTransportFailureTest, ConnectionDroppedBeforeAnyBodyByteIsRetried) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/drops-once");
  std::string received;
  request.on_body = [&](std::string_view chunk) {
    received += chunk;
    return true;
  };
  auto response = transport.send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(received, "whole");
  EXPECT_EQ(hits_.load(), 2);
}

TEST_F(CurlTransportFailureTest, NeverRetriesOnceBodyBytesReachedTheReceiver) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/drops-midway");
  std::string received;
  request.on_body = [&](std::string_view chunk) {
    received += chunk;
    return true;
  };
  auto response = transport.send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(contains(response.error().message, "GET /drops-midway")) << response.error().message;
  EXPECT_EQ(received, "partial");
  EXPECT_EQ(hits_.load(), 1);
}

TEST_F(CurlTransportFailureTest, RefusedTcpConnectionIsUnavailableNamingEndpoint) {
  config_.base_url = "http://127.0.0.1:" + std::to_string(unused_port());
  config_.max_attempts = 2;
  CurlTransport transport(config_);
  auto response = transport.send(make_request(HttpMethod::kGet, "/_ping"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message,
            "cannot connect to " + config_.base_url + ": Connection refused");
  EXPECT_FALSE(response.error().hint.empty());
}

TEST_F(CurlTransportFailureTest, ConnectTimeoutIsTimeout) {
  // A listener whose accept queue is full: the kernel drops further SYNs, so connect hangs.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    // Non-blocking: EINPROGRESS is the expected answer; the handshake completes or queues.
    static_cast<void>(connect(filler, reinterpret_cast<sockaddr*>(&address), length));
    fillers.push_back(filler);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  config_.base_url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  config_.connect_timeout = std::chrono::milliseconds(200);
  CurlTransport transport(config_);
  const auto start = Clock::now();
  auto response = transport.send(make_request(HttpMethod::kGet, "/_ping"));
  const auto elapsed = ms_since(start);
  for (const int fd : fillers) {
    close(fd);
  }
  close(listener);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout) << response.error().message;
  EXPECT_EQ(response.error().message,
            "connecting to " + config_.base_url + " timed out after 200 ms (GET /_ping)");
  EXPECT_LT(elapsed, 1500);
}

TEST_F(CurlTransportFailureTest, MissingUnixSocketIsUnavailableWithStartHint) {
  testing::TempDir dir;
  config_.unix_socket = (dir.path() / "docker.sock").string();
  CurlTransport transport(config_);
  EXPECT_EQ(transport.endpoint(), "unix://" + config_.unix_socket);
  auto response = transport.send(make_request(HttpMethod::kGet, "/_ping"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message,
            "cannot connect to unix://" + config_.unix_socket + ": No such file or directory");
  EXPECT_TRUE(contains(response.error().hint, "systemctl start docker")) << response.error().hint;
}

TEST_F(CurlTransportFailureTest, UnixSocketWithoutListenerIsUnavailable) {
  testing::TempDir dir;
  config_.unix_socket = (dir.path() / "docker.sock").string();
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, config_.unix_socket.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  CurlTransport transport(config_);
  auto response = transport.send(make_request(HttpMethod::kGet, "/_ping"));
  close(fd);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(response.error().message,
            "cannot connect to unix://" + config_.unix_socket + ": Connection refused");
}

}  // namespace
}  // namespace deepdock::adapters::http
