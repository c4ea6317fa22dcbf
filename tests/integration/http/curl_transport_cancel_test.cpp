// CurlTransport's cancellation (util::request_cancel(), as the SIGINT handler does it) and
// what its debug log shows, against a real server.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/http/curl_transport.hpp"
#include "integration/http/test_server.hpp"
#include "integration/http/transport_test_support.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::http {
namespace {

using core::HttpMethod;
using testing::contains;
using testing::make_request;
using testing::ms_since;
using Clock = std::chrono::steady_clock;

class CurlTransportCancelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& http = server_.http();
    http.Get("/busy", [this](const httplib::Request&, httplib::Response& res) {
      ++hits_;
      res.status = 503;
    });
    // Streams a line every 50 ms until the server stops.
    http.Get("/ticks", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [this](size_t, httplib::DataSink& sink) {
        sink.write("tick\n", 5);
        return server_.pause(std::chrono::milliseconds(50));
      });
    });
    // Sends one line, then nothing, as a quiet `logs -f` does.
    http.Get("/quiet", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [this](size_t, httplib::DataSink& sink) {
        sink.write("hello\n", 6);
        server_.pause(std::chrono::seconds(5));
        return false;
      });
    });
    http.Get("/secret", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      authorization_seen_ = req.get_header_value("Authorization");
      res.set_header("Set-Cookie", "session=cookie-secret-456");
      res.set_content("ok", "text/plain");
    });
    config_ = testing::fast_config();
    config_.base_url = server_.start_tcp();
  }

  void TearDown() override { util::reset_cancel(); }

  // Requests cancellation from another thread after `delay`, as the SIGINT handler would.
  static std::thread cancel_after(std::chrono::milliseconds delay) {
    return std::thread([delay] {
      std::this_thread::sleep_for(delay);
      util::request_cancel();
    });
  }

  std::atomic<int> hits_{0};
  std::mutex mutex_;
  std::string authorization_seen_;
  testing::TestServer server_;
  TransportConfig config_;
};

TEST_F(CurlTransportCancelTest, CancellationStopsAStreamPromptly) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/ticks");
  request.timeout = std::chrono::milliseconds(0);
  int ticks = 0;
  request.on_body = [&](std::string_view) {
    ++ticks;
    return true;
  };
  std::thread canceller = cancel_after(std::chrono::milliseconds(200));
  const auto start = Clock::now();
  auto response = transport.send(request);
  const auto elapsed = ms_since(start);
  canceller.join();
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled) << response.error().message;
  EXPECT_GT(ticks, 0);
  EXPECT_LT(elapsed, 500);
}

TEST_F(CurlTransportCancelTest, CancellationStopsAnIdleStreamPromptly) {
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/quiet");
  request.timeout = std::chrono::milliseconds(0);
  request.on_body = [](std::string_view) { return true; };
  std::thread canceller = cancel_after(std::chrono::milliseconds(200));
  const auto start = Clock::now();
  auto response = transport.send(request);
  const auto elapsed = ms_since(start);
  canceller.join();
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled) << response.error().message;
  EXPECT_LT(elapsed, 500);
}

TEST_F(CurlTransportCancelTest, CancellationInterruptsTheBackOff) {
  config_.retry_base_delay = std::chrono::seconds(5);
  config_.retry_max_delay = std::chrono::seconds(10);
  CurlTransport transport(config_);
  std::thread canceller = cancel_after(std::chrono::milliseconds(200));
  const auto start = Clock::now();
  auto response = transport.send(make_request(HttpMethod::kGet, "/busy"));
  const auto elapsed = ms_since(start);
  canceller.join();
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
  EXPECT_LT(elapsed, 1000);
  EXPECT_EQ(hits_.load(), 1);
}

TEST_F(CurlTransportCancelTest, NothingIsSentOnceCancelled) {
  CurlTransport transport(config_);
  util::request_cancel();
  auto response = transport.send(make_request(HttpMethod::kGet, "/busy"));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(hits_.load(), 0);
}

// The debug log, captured through log::set_sink (a plain function pointer).
std::mutex g_log_mutex;
std::string g_log;

void capture(log::Level, std::string_view line) {
  std::lock_guard lock(g_log_mutex);
  g_log += line;
  g_log += '\n';
}

TEST_F(CurlTransportCancelTest, DebugLogShowsRequestsButNeverSecrets) {
  const log::Level previous_level = log::level();
  log::set_level(log::Level::kDebug);
  const log::Sink previous_sink = log::set_sink(&capture);
  CurlTransport transport(config_);
  auto request = make_request(HttpMethod::kGet, "/secret?color=blue");
  request.headers.push_back({"Authorization", "Bearer sekrit-token-123"});
  request.headers.push_back({"X-Registry-Auth", "eyJwYXNzd29yZCI6Imh1bnRlcjIifQ=="});
  auto response = transport.send(request);
  log::set_sink(previous_sink);
  log::set_level(previous_level);
  std::string logged;
  {
    std::lock_guard lock(g_log_mutex);
    logged.swap(g_log);
  }

  ASSERT_TRUE(response) << response.error().message;
  {
    std::lock_guard lock(mutex_);
    EXPECT_EQ(authorization_seen_, "Bearer sekrit-token-123");  // the request is intact
  }
  EXPECT_TRUE(contains(logged, "GET /secret?color=blue")) << logged;
  EXPECT_TRUE(contains(logged, "-> 200")) << logged;
  EXPECT_TRUE(contains(logged, "Authorization: <redacted>")) << logged;
  EXPECT_FALSE(contains(logged, "sekrit-token-123")) << logged;
  EXPECT_FALSE(contains(logged, "eyJwYXNzd29yZCI6Imh1bnRlcjIifQ")) << logged;
  EXPECT_FALSE(contains(logged, "cookie-secret-456")) << logged;
}

}  // namespace
}  // namespace deepdock::adapters::http
