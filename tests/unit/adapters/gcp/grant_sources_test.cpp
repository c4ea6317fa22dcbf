// The service-account (JWT-bearer) and authorized_user (refresh-token) grants.
#include <gtest/gtest.h>

#include "adapters/gcp/authorized_user_source.hpp"
#include "adapters/gcp/service_account_source.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using test::FakeTransports;
using test::form_value;
using test::jwt_part;
using test::kTestNowSeconds;
using test::TestRsaKey;
using testing::reply;

constexpr std::string_view kTokenAnswer =
    R"({"access_token":"ya29.c.granted-token","expires_in":3599,"token_type":"Bearer"})";

ServiceAccountKey key_for(const TestRsaKey& key, std::string token_uri) {
  return {"builder@key-project.iam.gserviceaccount.com", key.private_pem(), "0123abcd",
          std::move(token_uri), "key-project"};
}

TEST(ServiceAccountSourceTest, PostsASignedJwtBearerGrantToTheKeysTokenUri) {
  const TestRsaKey key;
  FakeTransports transports;
  transports.at("https://oauth.test")
      .on(HttpMethod::kPost, "/token", reply(200, std::string(kTokenAnswer)));
  const AuthContext context = test::test_context(transports, {});
  ServiceAccountSource source(context, key_for(key, "https://oauth.test/token"), "key k.json");

  auto token = source.token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, "ya29.c.granted-token");
  EXPECT_EQ(token->expires_at, context.now() + std::chrono::seconds(3599));
  EXPECT_EQ(transports.connected(), std::vector<std::string>{"https://oauth.test"});

  const auto& sent = transports.at("https://oauth.test").requests().at(0);
  EXPECT_EQ(sent.target, "/token");
  EXPECT_EQ(form_value(sent.body, "grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
  const std::string jwt = form_value(sent.body, "assertion");
  EXPECT_TRUE(key.verifies(jwt));
  EXPECT_EQ(jwt_part(jwt, 0),
            (nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "0123abcd"}}));
  EXPECT_EQ(jwt_part(jwt, 1),
            (nlohmann::json{{"iss", "builder@key-project.iam.gserviceaccount.com"},
                            {"scope", "https://www.googleapis.com/auth/cloud-platform"},
                            {"aud", "https://oauth.test/token"},
                            {"iat", kTestNowSeconds},
                            {"exp", kTestNowSeconds + 3600}}));
}

TEST(ServiceAccountSourceTest, ScopesAreJoinedWithSpaces) {
  const TestRsaKey key;
  FakeTransports transports;
  AuthContext context = test::test_context(transports, {});
  context.scopes = {"https://www.googleapis.com/auth/compute",
                    "https://www.googleapis.com/auth/devstorage.read_write"};
  const ServiceAccountSource source(context, key_for(key, "https://oauth.test/token"), "k");
  auto jwt = source.assertion(context.now());
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt_part(*jwt, 1)["scope"],
            "https://www.googleapis.com/auth/compute "
            "https://www.googleapis.com/auth/devstorage.read_write");
}

TEST(ServiceAccountSourceTest, DescribesTheAccountAndRefusalHintsAtANewKey) {
  const TestRsaKey key;
  FakeTransports transports;
  transports.at("https://oauth.test")
      .on(HttpMethod::kPost, "/token",
          reply(400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"));
  const AuthContext context = test::test_context(transports, {});
  ServiceAccountSource source(context, key_for(key, "https://oauth.test/token"),
                              "/k.json from GOOGLE_APPLICATION_CREDENTIALS");
  EXPECT_EQ(source.describe(),
            "service account builder@key-project.iam.gserviceaccount.com "
            "(/k.json from GOOGLE_APPLICATION_CREDENTIALS)");
  auto token = source.token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(token.error().message.find("Invalid JWT Signature."), std::string::npos);
  EXPECT_NE(token.error().hint.find("keys create"), std::string::npos);
}

AuthorizedUser test_user(std::string token_uri = {}) {
  return {"client-id.apps.googleusercontent.com",
          "client-secret-value",
          "1//refresh-token-value",
          std::move(token_uri),
          "quota-project",
          "me@example.com"};
}

TEST(AuthorizedUserSourceTest, PostsARefreshGrantToGooglesEndpoint) {
  FakeTransports transports;
  transports.at("https://oauth2.googleapis.com")
      .on(HttpMethod::kPost, "/token", reply(200, std::string(kTokenAnswer)));
  const AuthContext context = test::test_context(transports, {});
  AuthorizedUserSource source(context, test_user(), "adc.json");
  EXPECT_EQ(source.describe(), "user me@example.com (adc.json)");

  auto token = source.token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, "ya29.c.granted-token");
  const auto& sent = transports.at("https://oauth2.googleapis.com").requests().at(0);
  EXPECT_EQ(sent.target, "/token");
  EXPECT_EQ(form_value(sent.body, "grant_type"), "refresh_token");
  EXPECT_EQ(form_value(sent.body, "client_id"), "client-id.apps.googleusercontent.com");
  EXPECT_EQ(form_value(sent.body, "client_secret"), "client-secret-value");
  EXPECT_EQ(form_value(sent.body, "refresh_token"), "1//refresh-token-value");
  EXPECT_EQ(form_value(sent.body, "scope"), "https://www.googleapis.com/auth/cloud-platform");
}

TEST(AuthorizedUserSourceTest, EndpointComesFromTheFileThenTheEnvironment) {
  FakeTransports transports;
  const AuthContext context =
      test::test_context(transports, {{"DEEPDOCK_GCP_OAUTH_ENDPOINT", "http://127.0.0.1:9/t"}});
  EXPECT_EQ(AuthorizedUserSource(context, test_user(), "f").token_uri(), "http://127.0.0.1:9/t");
  EXPECT_EQ(AuthorizedUserSource(context, test_user("https://file.test/token"), "f").token_uri(),
            "https://file.test/token");
}

TEST(AuthorizedUserSourceTest, RevokedRefreshTokenSaysToLogInAgain) {
  FakeTransports transports;
  transports.at("https://oauth2.googleapis.com")
      .on(HttpMethod::kPost, "/token",
          reply(
              400,
              R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})"));
  const AuthContext context = test::test_context(transports, {});
  AuthorizedUserSource source(context, test_user(), "adc.json");
  auto token = source.token();
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("Token has been expired or revoked."), std::string::npos);
  EXPECT_NE(token.error().hint.find("gcloud auth application-default login"), std::string::npos);
  EXPECT_EQ(token.error().message.find("refresh-token-value"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
