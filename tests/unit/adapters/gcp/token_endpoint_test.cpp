#include "adapters/gcp/token_endpoint.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using test::FakeTransports;
using testing::reply;

TEST(TokenEndpointTest, UrlIsSplitIntoBaseAndTarget) {
  auto google = split_endpoint_url("https://oauth2.googleapis.com/token");
  ASSERT_TRUE(google);
  EXPECT_EQ(google->base, "https://oauth2.googleapis.com");
  EXPECT_EQ(google->target, "/token");
  auto local = split_endpoint_url("http://127.0.0.1:8080/oauth/token?x=1");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->base, "http://127.0.0.1:8080");
  EXPECT_EQ(local->target, "/oauth/token?x=1");
  auto bare = split_endpoint_url("https://example.test");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->target, "/");
  EXPECT_TRUE(split_endpoint_url("http://localhost:9/t"));
  EXPECT_TRUE(split_endpoint_url("http://[::1]:9/t"));
}

TEST(TokenEndpointTest, PlainHttpToAnotherHostAndOtherSchemesAreRefused) {
  auto remote = split_endpoint_url("http://oauth2.googleapis.com/token");
  ASSERT_FALSE(remote);
  EXPECT_EQ(remote.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(remote.error().hint.find("https"), std::string::npos);
  EXPECT_FALSE(split_endpoint_url("ftp://x/token"));
  EXPECT_FALSE(split_endpoint_url("oauth2.googleapis.com/token"));
  EXPECT_FALSE(split_endpoint_url("https:///token"));
}

TEST(TokenEndpointTest, FormValuesArePercentEncoded) {
  EXPECT_EQ(form_encode(
                {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"scope", "a b"}}),
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&scope=a%20b");
}

TEST(TokenEndpointTest, AnswerGivesTokenAndExpiry) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  auto token = parse_token_answer(R"({"access_token":"ya29.abcdef","expires_in":3599})", now, "x");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->value, "ya29.abcdef");
  EXPECT_EQ(token->expires_at, now + std::chrono::seconds(3599));
  auto text_expiry =
      parse_token_answer(R"({"access_token":"ya29.abcdef","expires_in":"60"})", now, "x");
  ASSERT_TRUE(text_expiry);
  EXPECT_EQ(text_expiry->expires_at, now + std::chrono::seconds(60));
  auto none = parse_token_answer(R"({"token_type":"Bearer"})", now, "the server");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("the server answered without an access token"),
            std::string::npos);
}

struct RefusalCase {
  int status;
  std::string body;
  ErrorCode code;
  std::string in_message;
  std::string in_hint;
};

TEST(TokenEndpointTest, RefusalsAndOutagesBecomeErrorsWithWhatToDo) {
  const std::vector<RefusalCase> cases = {
      {400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})",
       ErrorCode::kPermissionDenied,
       "refused the credential (HTTP 400 invalid_grant: Invalid JWT "
       "Signature.)",
       "log in again"},
      {400, R"({"error":"invalid_grant","error_subtype":"invalid_rapt"})",
       ErrorCode::kPermissionDenied, "asks the credential to sign in again",
       "gcloud auth application-default login"},
      {503, "busy", ErrorCode::kUnavailable, "failed for the credential (HTTP 503)", "try again"},
      {401, "<html>", ErrorCode::kPermissionDenied, "(HTTP 401)", "log in again"},
  };
  for (const auto& c : cases) {
    FakeTransports transports;
    transports.at("https://oauth.test").on(HttpMethod::kPost, "/token", reply(c.status, c.body));
    const AuthContext context = test::test_context(transports, {});
    auto token = request_token(
        context, {"https://oauth.test/token", {{"a", "b"}}, "the credential", "log in again"});
    EXPECT_TRUE(test::fails_with(token, c.code, c.in_message, c.in_hint)) << c.body;
  }
}

TEST(TokenEndpointTest, TransportFailureNamesTheEndpoint) {
  FakeTransports transports;
  transports.at("https://oauth.test")
      .on(HttpMethod::kPost, "/token",
          testing::transport_error(ErrorCode::kUnavailable, "refused"));
  const AuthContext context = test::test_context(transports, {});
  EXPECT_TRUE(test::fails_with(
      request_token(context, {"https://oauth.test/token", {}, "the credential", ""}),
      ErrorCode::kUnavailable, "cannot reach the token endpoint https://oauth.test/token"));
}

TEST(TokenEndpointTest, RequestIsAFormPostThatMayBeRetried) {
  FakeTransports transports;
  transports.at("https://oauth.test")
      .on(HttpMethod::kPost, "/token", reply(200, R"({"access_token":"ya29.zzzzzz"})"));
  const AuthContext context = test::test_context(transports, {});
  auto token = request_token(context, {"https://oauth.test/token", {{"k", "v w"}}, "c", ""});
  ASSERT_TRUE(token);
  const auto& sent = transports.at("https://oauth.test").requests().at(0);
  EXPECT_EQ(sent.body, "k=v%20w");
  EXPECT_EQ(sent.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token->expires_at,
            context.now() + std::chrono::seconds(300));  // no expires_in: a short lifetime
}

}  // namespace
}  // namespace deepdock::adapters::gcp
