#include "integration/http/test_server.hpp"

#include <sys/socket.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace deepdock::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "deepdock-http-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = buffer.data();
  std::filesystem::permissions(
      path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                 std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                 std::filesystem::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

void configure(httplib::Server& server) {
  // Short keep-alive: a connection left open by a test must not hold shutdown up.
  server.set_keep_alive_timeout(1);
  server.set_tcp_nodelay(true);  // no Nagle wait between header and body writes
  server.set_read_timeout(2);
  server.set_write_timeout(2);
}

}  // namespace

TestServer::TestServer() : server_(std::make_unique<httplib::Server>()) {
  configure(*server_);
}

TestServer::TestServer(const std::string& cert, const std::string& key, const char* client_ca)
    : server_(std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str(), client_ca)),
      tls_(true) {
  if (!server_->is_valid()) {
    throw std::runtime_error("cannot set up the TLS test server with " + cert);
  }
  configure(*server_);
}

TestServer::~TestServer() {
  stopping_.store(true);
  server_->stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

std::string TestServer::start_tcp() {
  const int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    throw std::runtime_error("cannot bind a test server on 127.0.0.1");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  wait_until_running();
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port);
}

void TestServer::start_unix(const std::filesystem::path& path) {
  server_->set_address_family(AF_UNIX);
  thread_ = std::thread([this, path] { server_->listen(path.string(), 80); });
  wait_until_running();
}

void TestServer::wait_until_running() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the test server did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool TestServer::pause(std::chrono::milliseconds duration) const {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) {
    if (stopping()) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return !stopping();
}

}  // namespace deepdock::testing
