#include "adapters/http/curl_errors.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace deepdock::adapters::http {
namespace {

TransferFailure unix_failure(CURLcode code, long os_errno) {
  TransferFailure failure;
  failure.code = code;
  failure.os_errno = os_errno;
  failure.detail = "Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server";
  failure.endpoint = "unix:///run/docker.sock";
  failure.request = "GET /_ping";
  failure.unix_socket = "/run/docker.sock";
  failure.connect_timeout = std::chrono::seconds(5);
  failure.overall_timeout = std::chrono::seconds(60);
  return failure;
}

TransferFailure tcp_failure(CURLcode code, long os_errno = 0) {
  TransferFailure failure = unix_failure(code, os_errno);
  failure.endpoint = "https://10.0.0.7:2376";
  failure.unix_socket.clear();
  return failure;
}

TEST(CurlErrorsTest, RefusedUnixSocketNamesTheSocketAndSaysToStartTheEngine) {
  const Error error = to_error(unix_failure(CURLE_COULDNT_CONNECT, ECONNREFUSED));
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "cannot connect to unix:///run/docker.sock: Connection refused");
  EXPECT_NE(error.hint.find("systemctl start docker"), std::string::npos);
}

TEST(CurlErrorsTest, MissingUnixSocketIsUnavailable) {
  const Error error = to_error(unix_failure(CURLE_COULDNT_CONNECT, ENOENT));
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "cannot connect to unix:///run/docker.sock: No such file or directory");
}

TEST(CurlErrorsTest, ForbiddenUnixSocketIsPermissionDeniedWithGroupHint) {
  const Error error = to_error(unix_failure(CURLE_COULDNT_CONNECT, EACCES));
  EXPECT_EQ(error.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(error.message, "permission denied connecting to unix:///run/docker.sock");
  EXPECT_NE(error.hint.find("sudo usermod -aG docker $USER"), std::string::npos);
  EXPECT_EQ(error.exit_code(), 3);
}

TEST(CurlErrorsTest, RefusedTcpEndpointIsUnavailable) {
  const Error error = to_error(tcp_failure(CURLE_COULDNT_CONNECT, ECONNREFUSED));
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "cannot connect to https://10.0.0.7:2376: Connection refused");
}

TEST(CurlErrorsTest, WithoutAnOsErrorLibcurlsTextIsTheReason) {
  TransferFailure failure = tcp_failure(CURLE_COULDNT_RESOLVE_HOST);
  failure.detail = "Could not resolve host: nowhere";
  const Error error = to_error(failure);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message,
            "cannot connect to https://10.0.0.7:2376: Could not resolve host: nowhere");
}

TEST(CurlErrorsTest, TimeoutBeforeConnectingSaysConnecting) {
  const Error error = to_error(tcp_failure(CURLE_OPERATION_TIMEDOUT));
  EXPECT_EQ(error.code, ErrorCode::kTimeout);
  EXPECT_EQ(error.message,
            "connecting to https://10.0.0.7:2376 timed out after 5000 ms (GET /_ping)");
}

TEST(CurlErrorsTest, ConnectingTimeoutNamesTheShorterOfTheTwoLimits) {
  TransferFailure failure = tcp_failure(CURLE_OPERATION_TIMEDOUT);
  failure.overall_timeout = std::chrono::milliseconds(300);
  EXPECT_EQ(to_error(failure).message,
            "connecting to https://10.0.0.7:2376 timed out after 300 ms (GET /_ping)");
  failure.overall_timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(to_error(failure).message,
            "connecting to https://10.0.0.7:2376 timed out after 5000 ms (GET /_ping)");
}

TEST(CurlErrorsTest, TimeoutOnAnOpenConnectionNamesTheRequest) {
  TransferFailure failure = tcp_failure(CURLE_OPERATION_TIMEDOUT);
  failure.connected = true;
  const Error error = to_error(failure);
  EXPECT_EQ(error.code, ErrorCode::kTimeout);
  EXPECT_EQ(error.message, "GET /_ping on https://10.0.0.7:2376 timed out after 60000 ms");
}

TEST(CurlErrorsTest, LostConnectionIsUnavailable) {
  const Error error = to_error(tcp_failure(CURLE_RECV_ERROR, ECONNRESET));
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message,
            "connection to https://10.0.0.7:2376 lost during GET /_ping: Connection reset by peer");
}

TEST(CurlErrorsTest, TlsFailuresAreAPreconditionWithCertificateHint) {
  for (const CURLcode code :
       {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM}) {
    const Error error = to_error(tcp_failure(code));
    EXPECT_EQ(error.code, ErrorCode::kPrecondition) << code;
    EXPECT_NE(error.message.find("TLS with https://10.0.0.7:2376 failed"), std::string::npos);
    EXPECT_NE(error.hint.find("DOCKER_CERT_PATH"), std::string::npos);
  }
}

TEST(CurlErrorsTest, MalformedUrlIsInvalidInput) {
  EXPECT_EQ(to_error(tcp_failure(CURLE_URL_MALFORMAT)).code, ErrorCode::kInvalidInput);
  EXPECT_EQ(to_error(tcp_failure(CURLE_UNSUPPORTED_PROTOCOL)).code, ErrorCode::kInvalidInput);
}

TEST(CurlErrorsTest, OtherFailuresNameRequestAndEndpoint) {
  TransferFailure failure = tcp_failure(CURLE_OUT_OF_MEMORY);
  failure.detail.clear();
  const Error error = to_error(failure);
  EXPECT_EQ(error.code, ErrorCode::kFailure);
  EXPECT_EQ(error.message, "GET /_ping on https://10.0.0.7:2376 failed: Out of memory");
}

TEST(CurlErrorsTest, OnlyTransientFailuresAreRetryable) {
  EXPECT_TRUE(is_retryable(unix_failure(CURLE_COULDNT_CONNECT, ECONNREFUSED)));
  EXPECT_TRUE(is_retryable(tcp_failure(CURLE_RECV_ERROR, ECONNRESET)));
  EXPECT_TRUE(is_retryable(tcp_failure(CURLE_SEND_ERROR)));
  EXPECT_TRUE(is_retryable(tcp_failure(CURLE_GOT_NOTHING)));
  EXPECT_TRUE(is_retryable(tcp_failure(CURLE_PARTIAL_FILE)));
  EXPECT_FALSE(is_retryable(unix_failure(CURLE_COULDNT_CONNECT, EACCES)));
  EXPECT_FALSE(is_retryable(unix_failure(CURLE_COULDNT_CONNECT, ENOENT)));
  EXPECT_FALSE(is_retryable(tcp_failure(CURLE_OPERATION_TIMEDOUT)));
  EXPECT_FALSE(is_retryable(tcp_failure(CURLE_PEER_FAILED_VERIFICATION)));
  EXPECT_FALSE(is_retryable(tcp_failure(CURLE_COULDNT_RESOLVE_HOST)));
}

}  // namespace
}  // namespace deepdock::adapters::http
