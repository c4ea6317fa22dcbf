// CurlTransport over TLS against an httplib::SSLServer with a throw-away CA: server
// verification with a CA file, and client certificates (DOCKER_CERT_PATH style).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/http/curl_transport.hpp"
#include "integration/http/test_pki.hpp"
#include "integration/http/test_server.hpp"
#include "integration/http/transport_test_support.hpp"

namespace deepdock::adapters::http {
namespace {

using core::HttpMethod;
using testing::make_request;

class CurlTransportTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>();
    pki_ = testing::make_test_pki(dir_->path());
  }
  static void TearDownTestSuite() { dir_.reset(); }

  // Starts an HTTPS server; with require_client_cert it accepts only clients the CA signed.
  TransportConfig start(bool require_client_cert) {
    server_ = std::make_unique<testing::TestServer>(
        pki_.server_cert, pki_.server_key, require_client_cert ? pki_.ca_cert.c_str() : nullptr);
    server_->http().Get("/_ping", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("OK", "text/plain");
    });
    TransportConfig config = testing::fast_config();
    config.base_url = server_->start_tcp();
    config.max_attempts = 1;
    return config;
  }

  static Result<core::HttpResponse> ping(const TransportConfig& config) {
    CurlTransport transport(config);
    return transport.send(make_request(HttpMethod::kGet, "/_ping"));
  }

  static std::unique_ptr<testing::TempDir> dir_;
  static testing::TestPki pki_;
  std::unique_ptr<testing::TestServer> server_;
};

std::unique_ptr<testing::TempDir> CurlTransportTlsTest::dir_;
testing::TestPki CurlTransportTlsTest::pki_;

TEST_F(CurlTransportTlsTest, ServerVerifiedWithCaFile) {
  TransportConfig config = start(false);
  config.ca_file = pki_.ca_cert;
  auto response = ping(config);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "OK");
}

TEST_F(CurlTransportTlsTest, UnknownServerCertificateIsRejected) {
  const TransportConfig config = start(false);
  auto response = ping(config);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kPrecondition) << response.error().message;
  EXPECT_NE(response.error().message.find(config.base_url), std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().hint.find("DOCKER_CERT_PATH"), std::string::npos);
}

TEST_F(CurlTransportTlsTest, VerificationCanBeTurnedOff) {
  TransportConfig config = start(false);
  config.verify_peer = false;
  auto response = ping(config);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->status, 200);
}

TEST_F(CurlTransportTlsTest, ClientCertificateIsPresented) {
  TransportConfig config = start(true);
  config.ca_file = pki_.ca_cert;
  config.cert_file = pki_.client_cert;
  config.key_file = pki_.client_key;
  auto response = ping(config);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "OK");
}

TEST_F(CurlTransportTlsTest, ServerRequiringAClientCertificateRejectsClientsWithout) {
  TransportConfig config = start(true);
  config.ca_file = pki_.ca_cert;
  auto response = ping(config);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().message.find(config.base_url), std::string::npos)
      << response.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::http
