// The hand-written HTTP of an upgraded connection: the request's bytes and the head of the
// answer (101 UPGRADED, interim answers, refusals, bytes that are not HTTP).

#include "adapters/http/upgrade_head.hpp"

#include <gtest/gtest.h>

namespace deepdock::adapters::http {
namespace {

using core::HttpMethod;

core::HttpRequest exec_start() {
  return {.method = HttpMethod::kPost,
          .target = "/v1.41/exec/abc/start",
          .headers = {{"Content-Type", "application/json"},
                      {"Connection", "Upgrade"},
                      {"Upgrade", "tcp"}},
          .body = R"({"Detach":false,"Tty":true})"};
}

TEST(UpgradeRequestTest, WritesRequestLineHeadersLengthAndBody) {
  EXPECT_EQ(upgrade_request_bytes(exec_start(), "localhost", "deepdock"),
            "POST /v1.41/exec/abc/start HTTP/1.1\r\n"
            "Host: localhost\r\n"
            "User-Agent: deepdock\r\n"
            "Content-Type: application/json\r\n"
            "Connection: Upgrade\r\n"
            "Upgrade: tcp\r\n"
            "Content-Length: 27\r\n"
            "\r\n"
            R"({"Detach":false,"Tty":true})");
}

TEST(UpgradeRequestTest, CallersHostAndAGetWithoutBodyNeedNoLength) {
  const core::HttpRequest request{.target = "/attach",
                                  .headers = {{"Host", "engine:2376"}, {"Upgrade", "tcp"}}};
  EXPECT_EQ(upgrade_request_bytes(request, "localhost", ""),
            "GET /attach HTTP/1.1\r\nHost: engine:2376\r\nUpgrade: tcp\r\n\r\n");
}

TEST(ResponseHeadTest, UpgradedAnswerKeepsHeadersAndLeavesTheStreamBytes) {
  const std::string stream_bytes("\x01\x00\x00\x00", 4);  // a frame header, NULs included
  const std::string received =
      "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
      "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" +
      stream_bytes;
  const auto head = parse_response_head(received);
  ASSERT_TRUE(head) << head.error().message;
  ASSERT_TRUE(head->has_value());
  const ResponseHead& parsed = **head;
  EXPECT_EQ(parsed.response.status, 101);
  EXPECT_EQ(parsed.response.header("upgrade"), "tcp");
  EXPECT_EQ(parsed.response.header("Content-Type"), "application/vnd.docker.raw-stream");
  EXPECT_EQ(received.substr(parsed.length), stream_bytes);
}

TEST(ResponseHeadTest, IncompleteHeadAsksForMore) {
  for (const std::string_view partial :
       {"", "HT", "HTTP/1.1 101 UPGRADED\r\n", "HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r"}) {
    const auto head = parse_response_head(partial);
    ASSERT_TRUE(head) << partial << ": " << head.error().message;
    EXPECT_FALSE(head->has_value()) << partial;
  }
}

TEST(ResponseHeadTest, InterimAnswerIsSkipped) {
  const std::string received =
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 200 OK\r\nApi-Version: "
      "1.41\r\n\r\nraw";
  const auto head = parse_response_head(received);
  ASSERT_TRUE(head && head->has_value());
  EXPECT_EQ((*head)->response.status, 200);
  EXPECT_EQ((*head)->response.header("X-Interim"), "");
  EXPECT_EQ(received.substr((*head)->length), "raw");
  // Only the interim answer so far: wait for the real one.
  const auto interim_only = parse_response_head("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 20");
  ASSERT_TRUE(interim_only);
  EXPECT_FALSE(interim_only->has_value());
}

TEST(ResponseHeadTest, RefusalKeepsItsLength) {
  const auto head = parse_response_head(
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 41\r\n\r\n");
  ASSERT_TRUE(head && head->has_value());
  EXPECT_EQ((*head)->response.status, 404);
  EXPECT_EQ(content_length((*head)->response), 41U);
}

TEST(ResponseHeadTest, BytesThatAreNotHttpAreAnErrorAtOnce) {
  const auto head = parse_response_head("SSH-2.0-OpenSSH_9.2");
  ASSERT_FALSE(head);
  EXPECT_NE(head.error().message.find("not HTTP"), std::string::npos) << head.error().message;
  EXPECT_FALSE(parse_response_head("HTTP/1.1 abc\r\n\r\n"));
}

TEST(ResponseHeadTest, EndlessHeadIsAnError) {
  std::string received = "HTTP/1.1 101 UPGRADED\r\n";
  while (received.size() <= kMaxResponseHead) {
    received += "X-Padding: 0123456789012345678901234567890123456789\r\n";
  }
  EXPECT_FALSE(parse_response_head(received));
}

TEST(ContentLengthTest, AbsentOrGarbledIsUnknown) {
  core::HttpResponse response;
  EXPECT_FALSE(content_length(response));
  response.headers = {{"Content-Length", "12x"}};
  EXPECT_FALSE(content_length(response));
  response.headers = {{"content-length", "0"}};
  EXPECT_EQ(content_length(response), 0U);
}

}  // namespace
}  // namespace deepdock::adapters::http
