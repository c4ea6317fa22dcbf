#pragma once
// A throw-away PKI for TLS tests, made with the OpenSSL API (no openssl CLI needed): a CA,
// a server certificate for 127.0.0.1/localhost and a client certificate, all signed by
// the CA, written as PEM files the way DOCKER_CERT_PATH holds them.

#include <filesystem>
#include <string>

namespace deepdock::testing {

struct TestPki {
  std::string ca_cert;      // ca.pem
  std::string server_cert;  // server-cert.pem
  std::string server_key;   // server-key.pem
  std::string client_cert;  // cert.pem
  std::string client_key;   // key.pem
};

// Writes the files into `dir`; throws std::runtime_error when OpenSSL fails.
TestPki make_test_pki(const std::filesystem::path& dir);

}  // namespace deepdock::testing
