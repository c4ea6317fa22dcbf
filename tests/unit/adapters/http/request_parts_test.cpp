// The pure parts of the transport: header parsing, URL joining, the endpoint's name.

#include <gtest/gtest.h>

#include "adapters/http/curl_transport.hpp"
#include "adapters/http/request_setup.hpp"
#include "adapters/http/transfer.hpp"

namespace deepdock::adapters::http {
namespace {

TEST(HeaderLineTest, StatusLineSetsStatus) {
  core::HttpResponse response;
  apply_header_line("HTTP/1.1 404 Not Found\r\n", response);
  EXPECT_EQ(response.status, 404);
}

TEST(HeaderLineTest, HeadersAreTrimmedAndKeptInOrder) {
  core::HttpResponse response;
  apply_header_line("HTTP/1.1 200 OK\r\n", response);
  apply_header_line("Content-Type:  application/json \r\n", response);
  apply_header_line("Api-Version: 1.43\r\n", response);
  apply_header_line("\r\n", response);
  ASSERT_EQ(response.headers.size(), 2U);
  EXPECT_EQ(response.headers[0].name, "Content-Type");
  EXPECT_EQ(response.headers[0].value, "application/json");
  EXPECT_EQ(response.header("api-version"), "1.43");
}

TEST(HeaderLineTest, EachStatusLineStartsAFreshHeaderSet) {
  core::HttpResponse response;
  apply_header_line("HTTP/1.1 100 Continue\r\n", response);
  apply_header_line("X-Interim: yes\r\n", response);
  apply_header_line("\r\n", response);
  apply_header_line("HTTP/1.1 201 Created\r\n", response);
  apply_header_line("Location: /x\r\n", response);
  EXPECT_EQ(response.status, 201);
  ASSERT_EQ(response.headers.size(), 1U);
  EXPECT_EQ(response.header("Location"), "/x");
  EXPECT_EQ(response.header("X-Interim"), "");
}

TEST(HeaderLineTest, FoldedLinesContinueThePreviousValue) {
  core::HttpResponse response;
  apply_header_line("HTTP/1.0 200 OK\r\n", response);
  apply_header_line("X-Long: first\r\n", response);
  apply_header_line("   second\r\n", response);
  EXPECT_EQ(response.header("X-Long"), "first second");
}

TEST(HeaderLineTest, MalformedLinesAreIgnored) {
  core::HttpResponse response;
  apply_header_line("HTTP/1.1 abc\r\n", response);
  apply_header_line("no colon here\r\n", response);
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.headers.empty());
}

TEST(RequestUrlTest, JoinsBaseAndTargetWithOneSlash) {
  TransportConfig config;
  core::HttpRequest request;
  request.target = "/v1.43/_ping";
  EXPECT_EQ(request_url(config, request), "http://localhost/v1.43/_ping");
  config.base_url = "https://host:2376/";
  EXPECT_EQ(request_url(config, request), "https://host:2376/v1.43/_ping");
  request.target = "info?x=1";
  EXPECT_EQ(request_url(config, request), "https://host:2376/info?x=1");
}

TEST(CurlTransportEndpointTest, NamesTheSocketOrTheBaseUrl) {
  TransportConfig unix_config;
  unix_config.unix_socket = "/run/docker.sock";
  EXPECT_EQ(CurlTransport(unix_config).endpoint(), "unix:///run/docker.sock");
  TransportConfig tcp_config;
  tcp_config.base_url = "https://203.0.113.7:2376";
  EXPECT_EQ(CurlTransport(tcp_config).endpoint(), "https://203.0.113.7:2376");
}

}  // namespace
}  // namespace deepdock::adapters::http
