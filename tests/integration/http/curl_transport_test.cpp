// CurlTransport against real HTTP servers (cpp-httplib) over TCP and a unix socket:
// methods, headers, streamed downloads and uploads, connection reuse.

#include "adapters/http/curl_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "integration/http/test_server.hpp"
#include "integration/http/transport_test_support.hpp"

namespace deepdock::adapters::http {
namespace {

using core::HttpMethod;
using testing::make_request;
using testing::payload;
using testing::payload_source;

enum class Via { kTcp, kUnix };

// The body the upload handlers answer with: what arrived, and whether every byte matched.
std::string describe_upload(const httplib::Request& req) {
  const std::string expected = payload(req.body.size());
  return std::to_string(req.body.size()) + (req.body == expected ? " intact" : " corrupt") +
         " length=" + req.get_header_value("Content-Length") +
         " encoding=" + req.get_header_value("Transfer-Encoding");
}

class CurlTransportTest : public ::testing::TestWithParam<Via> {
 protected:
  void SetUp() override {
    auto& http = server_.http();
    http.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Test", "yes");
      res.set_header("X-Echo", req.get_header_value("X-Custom"));
      res.set_content("hello", "text/plain");
    });
    const auto echo = [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Content-Type", req.get_header_value("Content-Type"));
      res.set_content(req.method + ":" + req.body, "text/plain");
    };
    http.Post("/echo", echo);
    http.Put("/echo", echo);
    http.Delete("/echo", echo);
    http.Delete("/thing",
                [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    http.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"message":"no such thing"})", "application/json");
    });
    http.Get("/stream", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [this](size_t, httplib::DataSink& sink) {
        sink.write("one;", 4);
        // Hold the rest back until the client has handed the first piece to its receiver:
        // a transport that buffered the whole body would keep us waiting here.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (!first_piece_received_.load() && std::chrono::steady_clock::now() < deadline &&
               !server_.stopping()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        server_saw_receipt_.store(first_piece_received_.load());
        sink.write("two;", 4);
        sink.write("three", 5);
        sink.done();
        return true;
      });
    });
    const auto upload = [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + " " + describe_upload(req), "text/plain");
    };
    http.Post("/upload", upload);
    http.Put("/upload", upload);

    config_ = testing::fast_config();
    if (GetParam() == Via::kTcp) {
      config_.base_url = server_.start_tcp();
    } else {
      config_.unix_socket = (dir_.path() / "test.sock").string();
      server_.start_unix(config_.unix_socket);
    }
  }

  Result<core::HttpResponse> send(const core::HttpRequest& request) {
    return transport().send(request);
  }
  CurlTransport& transport() {
    if (!transport_) {
      transport_ = std::make_unique<CurlTransport>(config_);
    }
    return *transport_;
  }

  // Declared before the server, so they outlive its handlers.
  std::atomic<bool> first_piece_received_{false};
  std::atomic<bool> server_saw_receipt_{false};
  testing::TempDir dir_;
  testing::TestServer server_;
  TransportConfig config_;
  std::unique_ptr<CurlTransport> transport_;
};

TEST_P(CurlTransportTest, GetReturnsStatusBodyAndHeaders) {
  auto request = make_request(HttpMethod::kGet, "/hello");
  request.headers.push_back({"X-Custom", "sent"});
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->header("x-test"), "yes");
  EXPECT_EQ(response->header("X-Echo"), "sent");
  EXPECT_EQ(response->header("Content-Type"), "text/plain");
}

TEST_P(CurlTransportTest, HeadReturnsHeadersWithoutBody) {
  auto response = send(make_request(HttpMethod::kHead, "/hello"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("X-Test"), "yes");
  EXPECT_EQ(response->header("Content-Length"), "5");
  EXPECT_TRUE(response->body.empty());
}

TEST_P(CurlTransportTest, PostSendsBodyAndContentType) {
  auto request = make_request(HttpMethod::kPost, "/echo", R"({"a":1})");
  request.headers.push_back({"Content-Type", "application/json"});
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"(POST:{"a":1})");
  EXPECT_EQ(response->header("X-Content-Type"), "application/json");
}

TEST_P(CurlTransportTest, PostWithoutContentTypeDoesNotInventOne) {
  auto response = send(make_request(HttpMethod::kPost, "/echo"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "POST:");
  EXPECT_EQ(response->header("X-Content-Type"), "");
}

TEST_P(CurlTransportTest, PutSendsStringBody) {
  auto response = send(make_request(HttpMethod::kPut, "/echo", "new value"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "PUT:new value");
}

TEST_P(CurlTransportTest, DeleteWithAndWithoutBody) {
  auto gone = send(make_request(HttpMethod::kDelete, "/thing"));
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_EQ(gone->status, 204);
  auto echoed = send(make_request(HttpMethod::kDelete, "/echo", "why"));
  ASSERT_TRUE(echoed) << echoed.error().message;
  EXPECT_EQ(echoed->body, "DELETE:why");
}

TEST_P(CurlTransportTest, ErrorStatusIsAResponseWithItsBodyKeptForTheCaller) {
  auto request = make_request(HttpMethod::kGet, "/missing");
  int pieces = 0;
  request.on_body = [&](std::string_view) {
    ++pieces;
    return true;
  };
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, R"({"message":"no such thing"})");
  EXPECT_EQ(pieces, 0);
}

TEST_P(CurlTransportTest, StreamedDownloadReachesTheReceiverAsItArrives) {
  auto request = make_request(HttpMethod::kGet, "/stream");
  std::string received;
  request.on_body = [&](std::string_view chunk) {
    received += chunk;
    if (received.starts_with("one;")) {
      first_piece_received_.store(true);
    }
    return true;
  };
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(received, "one;two;three");
  EXPECT_TRUE(response->body.empty());
  EXPECT_TRUE(server_saw_receipt_.load()) << "the first piece only arrived with the last";
}

TEST_P(CurlTransportTest, ReceiverStoppingEndsWithCancelled) {
  auto request = make_request(HttpMethod::kGet, "/stream");
  request.on_body = [](std::string_view) { return false; };
  auto response = send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
  EXPECT_NE(response.error().message.find("stopped by the receiver"), std::string::npos)
      << response.error().message;
}

TEST_P(CurlTransportTest, StreamedPostUploadWithKnownSize) {
  constexpr uint64_t kSize = uint64_t{3} * 1024 * 1024 + 17;
  auto request = make_request(HttpMethod::kPost, "/upload");
  request.body_source = payload_source(kSize, size_t{100} * 1000);
  request.body_size = kSize;
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "POST " + std::to_string(kSize) +
                                " intact length=" + std::to_string(kSize) + " encoding=");
}

TEST_P(CurlTransportTest, StreamedPostUploadWithUnknownSizeIsChunked) {
  constexpr uint64_t kSize = uint64_t{300} * 1000 + 5;
  auto request = make_request(HttpMethod::kPost, "/upload");
  request.body_source = payload_source(kSize, 7000);
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "POST " + std::to_string(kSize) + " intact length= encoding=chunked");
}

TEST_P(CurlTransportTest, StreamedPutUpload) {
  constexpr uint64_t kSize = uint64_t{64} * 1024;
  auto request = make_request(HttpMethod::kPut, "/upload");
  request.body_source = payload_source(kSize, 4096);
  request.body_size = kSize;
  auto response = send(request);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "PUT " + std::to_string(kSize) +
                                " intact length=" + std::to_string(kSize) + " encoding=");
}

TEST_P(CurlTransportTest, BodySourceFailureIsTheRequestsError) {
  auto request = make_request(HttpMethod::kPost, "/upload");
  request.body_source = [](char*, size_t) -> Result<size_t> {
    return fail(ErrorCode::kNotFound, "build context vanished");
  };
  auto response = send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kNotFound);
  EXPECT_NE(response.error().message.find("build context vanished"), std::string::npos);
  EXPECT_NE(response.error().message.find("POST /upload"), std::string::npos);
}

TEST_P(CurlTransportTest, BodySourceEndingShortOfItsSizeIsAnError) {
  auto request = make_request(HttpMethod::kPost, "/upload");
  request.body_source = payload_source(100, 4096);
  request.body_size = 1000;
  auto response = send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(response.error().message.find("100 of the 1000 bytes"), std::string::npos)
      << response.error().message;
}

TEST_P(CurlTransportTest, TransportStaysUsableAfterFailures) {
  auto stop = make_request(HttpMethod::kGet, "/stream");
  stop.on_body = [](std::string_view) { return false; };
  ASSERT_FALSE(send(stop));
  auto response = send(make_request(HttpMethod::kGet, "/hello"));
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "hello");
}

INSTANTIATE_TEST_SUITE_P(CurlTransport, CurlTransportTest, ::testing::Values(Via::kTcp, Via::kUnix),
                         [](const ::testing::TestParamInfo<Via>& param_info) {
                           return param_info.param == Via::kTcp ? "Tcp" : "UnixSocket";
                         });

TEST(CurlTransportConnectionTest, SequentialRequestsReuseOneConnection) {
  testing::TestServer server;
  server.http().Get("/port", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.remote_port), "text/plain");
  });
  auto config = testing::fast_config();
  config.base_url = server.start_tcp();
  CurlTransport transport(config);
  std::vector<std::string> ports;
  for (int i = 0; i < 3; ++i) {
    auto response = transport.send(make_request(HttpMethod::kGet, "/port"));
    ASSERT_TRUE(response) << response.error().message;
    ports.push_back(response->body);
  }
  EXPECT_EQ(ports[0], ports[1]);
  EXPECT_EQ(ports[1], ports[2]);
}

TEST(CurlTransportConnectionTest, ConcurrentRequestsEachGetAConnection) {
  testing::TestServer server;
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  server.http().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    const int now = ++inside;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    server.pause(std::chrono::milliseconds(150));
    --inside;
    res.set_content("done", "text/plain");
  });
  auto config = testing::fast_config();
  config.base_url = server.start_tcp();
  CurlTransport transport(config);
  std::vector<std::thread> threads;
  threads.reserve(3);
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto response = transport.send(make_request(HttpMethod::kGet, "/slow"));
      if (response && response->body == "done") {
        ++ok;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok.load(), 3);
  EXPECT_GE(most_inside.load(), 2) << "requests were serialised on one connection";
}

}  // namespace
}  // namespace deepdock::adapters::http
