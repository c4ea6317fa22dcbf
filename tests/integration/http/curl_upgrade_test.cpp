// CurlTransport::open_upgraded against a small server that behaves like dockerd's hijack:
// it answers 101 with the first stream bytes in the same write, reads until the client
// half-closes, then answers and closes. Over TCP, a unix socket and TLS (with the
// throw-away PKI), plus a refusal with a body and an endpoint nobody listens on.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "adapters/http/curl_transport.hpp"
#include "integration/http/test_pki.hpp"
#include "integration/http/test_server.hpp"
#include "integration/http/transport_test_support.hpp"

namespace deepdock::adapters::http {
namespace {

using namespace std::chrono_literals;
using core::HttpMethod;

// One accepted connection, plain or TLS.
class ServerConnection {
 public:
  ServerConnection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~ServerConnection() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);  // close_notify, as Go's tls.Conn.Close sends
      SSL_free(ssl_);
    }
    ::close(fd_);
  }
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  ssize_t receive(char* buffer, size_t size) {
    if (ssl_ != nullptr) {
      return SSL_read(ssl_, buffer, static_cast<int>(size));
    }
    return ::recv(fd_, buffer, size, 0);
  }
  void send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ssl_ != nullptr
                               ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                               : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) {
        return;
      }
      data.remove_prefix(static_cast<size_t>(sent));
    }
  }
  // The request's head and its Content-Length body.
  std::string receive_request() {
    std::string received;
    std::array<char, 4096> buffer{};
    size_t wanted = std::string::npos;
    while (received.size() < wanted) {
      const ssize_t count = receive(buffer.data(), buffer.size());
      if (count <= 0) {
        break;
      }
      received.append(buffer.data(), static_cast<size_t>(count));
      const size_t head_end = received.find("\r\n\r\n");
      if (head_end != std::string::npos && wanted == std::string::npos) {
        const size_t at = received.find("Content-Length: ");
        const size_t length = at == std::string::npos ? 0 : std::stoul(received.substr(at + 16));
        wanted = head_end + 4 + length;
      }
    }
    return received;
  }
  std::string receive_until_end() {
    std::string received;
    std::array<char, 4096> buffer{};
    ssize_t count = 0;
    while ((count = receive(buffer.data(), buffer.size())) > 0) {
      received.append(buffer.data(), static_cast<size_t>(count));
    }
    return received;
  }

 private:
  int fd_;
  SSL* ssl_;
};

// Listens on 127.0.0.1 or a unix socket; on a thread, accepts one connection, reads the
// request and hands the connection to `serve`.
class UpgradeServer {
 public:
  using Serve = std::function<void(ServerConnection&)>;

  explicit UpgradeServer(Serve serve) : serve_(std::move(serve)) {}
  ~UpgradeServer() {
    if (thread_.joinable()) {
      thread_.join();
    }
    if (listener_ >= 0) {
      ::close(listener_);
    }
    if (tls_ != nullptr) {
      SSL_CTX_free(tls_);
    }
  }
  UpgradeServer(const UpgradeServer&) = delete;
  UpgradeServer& operator=(const UpgradeServer&) = delete;

  void use_tls(const testing::TestPki& pki) {
    tls_ = SSL_CTX_new(TLS_server_method());
    if (tls_ == nullptr ||
        SSL_CTX_use_certificate_file(tls_, pki.server_cert.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls_, pki.server_key.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("cannot set up the TLS upgrade server");
    }
    // A TCP FIN at a record boundary reads as the end, as in Go's crypto/tls (dockerd).
    SSL_CTX_set_options(tls_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  }

  // "http(s)://127.0.0.1:PORT"
  std::string listen_tcp() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 4) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    start();
    return std::string(tls_ != nullptr ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  }

  void listen_unix(const std::filesystem::path& path) {
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 4) != 0) {
      throw std::runtime_error("cannot listen on " + path.string());
    }
    start();
  }

  // The request as the server read it.
  std::string request() {
    std::lock_guard lock(mutex_);
    return request_;
  }

 private:
  void record(std::string request) {
    std::lock_guard lock(mutex_);
    request_ = std::move(request);
  }
  void start() {
    thread_ = std::thread([this] {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        return;
      }
      SSL* ssl = nullptr;
      if (tls_ != nullptr) {
        ssl = SSL_new(tls_);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) != 1) {
          SSL_free(ssl);
          ::close(fd);
          return;
        }
      }
      ServerConnection connection(fd, ssl);
      record(connection.receive_request());
      serve_(connection);
    });
  }

  Serve serve_;
  int listener_ = -1;
  SSL_CTX* tls_ = nullptr;
  std::thread thread_;
  std::mutex mutex_;
  std::string request_;
};

constexpr std::string_view kUpgraded =
    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

// Like dockerd: 101 with the first output in the same write, stdin until EOF, then the rest.
void echo_after_end(ServerConnection& connection) {
  connection.send(std::string(kUpgraded) + "hello ");
  const std::string input = connection.receive_until_end();
  connection.send("got:" + input);
}

core::HttpRequest start_request() {
  return {.method = HttpMethod::kPost,
          .target = "/v1.41/exec/e1/start",
          .headers = {{"Content-Type", "application/json"},
                      {"Connection", "Upgrade"},
                      {"Upgrade", "tcp"}},
          .body = R"({"Detach":false,"Tty":false})",
          .timeout = 5s};
}

// Reads until the peer's end, with an overall bound.
std::string read_to_end(core::RawStream& stream) {
  std::string text;
  std::array<char, 3> buffer{};  // small: the stream's own buffering is exercised
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (!stream.at_end() && std::chrono::steady_clock::now() < give_up) {
    auto count = stream.read(buffer, 100ms);
    if (!count) {
      ADD_FAILURE() << count.error().message;
      break;
    }
    text.append(buffer.data(), *count);
  }
  EXPECT_TRUE(stream.at_end());
  return text;
}

// The whole exchange: upgrade, early bytes, a write, the half close, the answer after it.
void expect_round_trip(CurlTransport& transport, UpgradeServer& server) {
  auto opened = transport.open_upgraded(start_request());
  ASSERT_TRUE(opened) << opened.error().message;
  core::RawStream& stream = **opened;
  EXPECT_EQ(stream.response().status, 101);
  EXPECT_EQ(stream.response().header("Upgrade"), "tcp");
  EXPECT_GE(stream.fd(), 0);
  std::array<char, 6> first{};
  auto count = stream.read(first, 2s);
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(std::string(first.data(), *count), std::string("hello ").substr(0, *count));

  ASSERT_TRUE(stream.write_all("stdin bytes", 2s));
  ASSERT_TRUE(stream.close_write());
  const std::string rest = read_to_end(stream);
  EXPECT_EQ(std::string(first.data(), *count) + rest, "hello got:stdin bytes");
  stream.close();
  EXPECT_EQ(stream.fd(), -1);

  const std::string request = server.request();
  EXPECT_TRUE(request.starts_with("POST /v1.41/exec/e1/start HTTP/1.1\r\n")) << request;
  EXPECT_TRUE(testing::contains(request, "\r\nUpgrade: tcp\r\n")) << request;
  EXPECT_TRUE(testing::contains(request, "\r\nContent-Length: 28\r\n")) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n{\"Detach\":false,\"Tty\":false}")) << request;
}

TEST(CurlUpgradeTest, TcpRoundTripWithHalfClose) {
  UpgradeServer server(echo_after_end);
  TransportConfig config = testing::fast_config();
  config.base_url = server.listen_tcp();
  CurlTransport transport(config);
  expect_round_trip(transport, server);
  EXPECT_TRUE(testing::contains(server.request(), "\r\nHost: 127.0.0.1:")) << server.request();
}

TEST(CurlUpgradeTest, UnixSocketRoundTripWithHalfClose) {
  testing::TempDir dir;
  UpgradeServer server(echo_after_end);
  server.listen_unix(dir.path() / "engine.sock");
  TransportConfig config = testing::fast_config();
  config.unix_socket = (dir.path() / "engine.sock").string();
  CurlTransport transport(config);
  expect_round_trip(transport, server);
  EXPECT_TRUE(testing::contains(server.request(), "\r\nHost: localhost\r\n")) << server.request();
}

TEST(CurlUpgradeTest, TlsRoundTripWithHalfClose) {
  testing::TempDir dir;
  const testing::TestPki pki = testing::make_test_pki(dir.path());
  UpgradeServer server(echo_after_end);
  server.use_tls(pki);
  TransportConfig config = testing::fast_config();
  config.base_url = server.listen_tcp();
  config.ca_file = pki.ca_cert;
  CurlTransport transport(config);
  expect_round_trip(transport, server);
}

TEST(CurlUpgradeTest, RefusalCarriesItsBodyWithoutWaitingForTheClose) {
  constexpr std::string_view kBody = R"({"message":"No such exec instance: e1"})";
  UpgradeServer server([&](ServerConnection& connection) {
    connection.send(
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(kBody.size()) + "\r\n\r\n" + std::string(kBody));
    connection.receive_until_end();  // keeps the connection open until the client leaves
  });
  TransportConfig config = testing::fast_config();
  config.base_url = server.listen_tcp();
  CurlTransport transport(config);
  const auto start = std::chrono::steady_clock::now();
  auto opened = transport.open_upgraded(start_request());
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ((*opened)->response().status, 404);
  EXPECT_EQ((*opened)->response().body, kBody);
  EXPECT_TRUE((*opened)->at_end());
  EXPECT_LT(testing::ms_since(start), 2000);
}

TEST(CurlUpgradeTest, NoAnswerInTimeIsATimeout) {
  UpgradeServer server([](ServerConnection& connection) { connection.receive_until_end(); });
  TransportConfig config = testing::fast_config();
  config.base_url = server.listen_tcp();
  CurlTransport transport(config);
  core::HttpRequest request = start_request();
  request.timeout = 300ms;
  const auto opened = transport.open_upgraded(request);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kTimeout) << opened.error().message;
}

TEST(CurlUpgradeTest, NobodyListeningIsUnavailableNamingTheSocket) {
  testing::TempDir dir;
  TransportConfig config = testing::fast_config();
  config.unix_socket = (dir.path() / "missing.sock").string();
  CurlTransport transport(config);
  const auto opened = transport.open_upgraded(start_request());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable) << opened.error().message;
  EXPECT_TRUE(testing::contains(opened.error().message, "missing.sock")) << opened.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::http
