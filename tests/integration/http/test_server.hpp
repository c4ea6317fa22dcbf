#pragma once
// Real HTTP servers for transport tests: cpp-httplib on 127.0.0.1 with a free port, on a
// unix socket, or with TLS, each listening on a thread of its own until destroyed.
//
// Debian ships cpp-httplib compiled (libcpp-httplib.so, built with OpenSSL): the test
// target must link it through pkg-config (`cpp-httplib`), which also defines
// CPPHTTPLIB_OPENSSL_SUPPORT (tests/CMakeLists.txt does).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "link cpp-httplib through pkg-config (PkgConfig::HTTPLIB): it defines its build flags"
#endif
#include <httplib.h>

namespace deepdock::testing {

// A private directory (mode 0755, so a dropped-privilege child can enter it), removed
// with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestServer {
 public:
  TestServer();  // plain HTTP
  // HTTPS; with a client CA, clients must present a certificate it signed.
  TestServer(const std::string& cert, const std::string& key, const char* client_ca = nullptr);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;
  TestServer(TestServer&&) = delete;
  TestServer& operator=(TestServer&&) = delete;

  // Register handlers here before starting.
  [[nodiscard]] httplib::Server& http() { return *server_; }

  // Listens on 127.0.0.1 and a free port; returns "http(s)://127.0.0.1:PORT".
  std::string start_tcp();
  // Listens on a unix socket at `path`.
  void start_unix(const std::filesystem::path& path);

  // Set when the server shuts down: slow handlers poll it so shutdown stays quick.
  [[nodiscard]] bool stopping() const { return stopping_.load(); }
  // Sleeps up to `duration`, returning early (false) when the server shuts down.
  bool pause(std::chrono::milliseconds duration) const;

 private:
  void wait_until_running();

  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace deepdock::testing
