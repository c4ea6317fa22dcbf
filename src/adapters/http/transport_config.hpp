#pragma once
// Where a CurlTransport connects and how patiently. Built by the cli layer from
// DOCKER_HOST / Docker contexts / DOCKER_CERT_PATH, or for a service's base URL.

#include <chrono>
#include <string>

namespace deepdock::adapters::http {

struct TransportConfig {
  std::string unix_socket;                    // non-empty: connect through this socket
  std::string base_url = "http://localhost";  // "http://host:2375", "https://host:2376"
  std::string ca_file;                        // TLS: CA bundle to verify the server with
  std::string cert_file;                      // TLS: client certificate (PEM)
  std::string key_file;                       // TLS: client key (PEM)
  bool verify_peer = true;                    // false: no server certificate or name check
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  int max_attempts = 4;  // for retryable requests; the first try counts
  std::chrono::milliseconds retry_base_delay{std::chrono::milliseconds(100)};
  std::chrono::milliseconds retry_max_delay{std::chrono::seconds(2)};
  std::string user_agent = "deepdock";
};

}  // namespace deepdock::adapters::http
