// The service-account and refresh-token grants through the real transport, against a
// loopback token endpoint that checks the RS256 signature with the key's public half.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <mutex>

#include "adapters/gcp/default_credentials.hpp"
#include "adapters/host/state_dir.hpp"
#include "integration/http/test_server.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::gcp {
namespace {

using test::TestRsaKey;

constexpr std::string_view kServiceAccountToken = "ya29.c.server-issued-sa-token";
constexpr std::string_view kUserToken = "ya29.a0-server-issued-user-token";

class AuthTokenEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.http().Post(
        "/token", [this](const httplib::Request& request, httplib::Response& response) {
          ++hits_;
          const std::string grant = request.get_param_value("grant_type");
          if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer") {
            answer_assertion(request.get_param_value("assertion"), response);
          } else if (grant == "refresh_token" &&
                     request.get_param_value("refresh_token") == "1//0g-refresh-token-value" &&
                     request.get_param_value("client_secret") == "d-FL95Q-client-secret") {
            response.set_content(R"({"access_token":")" + std::string(kUserToken) +
                                     R"(","expires_in":3599,"token_type":"Bearer"})",
                                 "application/json");
          } else {
            refuse(response, "Token has been expired or revoked.");
          }
        });
    base_url_ = server_.start_tcp();
    token_uri_ = base_url_ + "/token";
    env_["CLOUDSDK_CONFIG"] = (scratch_.path() / "gcloud").string();
    env_["NO_GCE_CHECK"] = "True";
  }

  void answer_assertion(const std::string& jwt, httplib::Response& response) {
    const nlohmann::json claims = test::jwt_part(jwt, 1);
    if (!key_.verifies(jwt) || claims.is_null() || claims["aud"] != token_uri_ ||
        claims["iss"] != "builder@key-project.iam.gserviceaccount.com" ||
        claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>() != 3600) {
      refuse(response, "Invalid JWT Signature.");
      return;
    }
    response.set_content(R"({"access_token":")" + std::string(kServiceAccountToken) +
                             R"(","expires_in":3599,"token_type":"Bearer"})",
                         "application/json");
  }
  static void refuse(httplib::Response& response, const std::string& description) {
    response.status = 400;
    response.set_content(
        nlohmann::json{{"error", "invalid_grant"}, {"error_description", description}}.dump(),
        "application/json");
  }

  std::unique_ptr<DefaultCredentials> chain() {
    AuthContext context;
    context.env = test::env_of(env_);
    context.connect = test::curl_factory();
    context.token_cache = &state_;
    return std::make_unique<DefaultCredentials>(std::move(context));
  }
  std::filesystem::path write_key(const TestRsaKey& key) {
    return scratch_.write("key.json", test::service_account_json(key, token_uri_).dump());
  }

  TestRsaKey key_;
  std::atomic<int> hits_{0};
  std::string base_url_, token_uri_;
  test::ScratchDir scratch_;
  host::StateDir state_{scratch_.path() / "state"};
  std::map<std::string, std::string> env_;
  testing::TestServer server_;  // last: stopped before the members its handlers use go
};

TEST_F(AuthTokenEndpointTest, ServiceAccountKeyIsExchangedOnceThenCachedInAPrivateFile) {
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key(key_).string();
  auto token = chain()->token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, kServiceAccountToken);
  EXPECT_EQ(hits_.load(), 1);

  auto again = chain()->token();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->value, kServiceAccountToken);
  EXPECT_EQ(hits_.load(), 1) << "the second run reads the cache";

  const auto records = std::filesystem::directory_iterator(scratch_.path() / "state");
  int files = 0;
  for (const auto& entry : records) {
    struct stat info {};
    ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777U, 0600U) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(AuthTokenEndpointTest, KeyTheServerDoesNotKnowIsRefusedWithItsReason) {
  const TestRsaKey stranger;
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key(stranger).string();
  auto token = chain()->token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(token.error().message.find("HTTP 400 invalid_grant: Invalid JWT Signature."),
            std::string::npos)
      << token.error().message;
  EXPECT_NE(token.error().hint.find("keys create"), std::string::npos);
}

TEST_F(AuthTokenEndpointTest, UserCredentialsAreRefreshedAtTheOverriddenEndpoint) {
  scratch_.write("gcloud/application_default_credentials.json",
                 test::authorized_user_json().dump());
  env_["DEEPDOCK_GCP_OAUTH_ENDPOINT"] = token_uri_;
  auto credentials = chain();
  auto token = credentials->token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, kUserToken);
  EXPECT_EQ(credentials->kind(), CredentialKind::kAuthorizedUserFile);
}

TEST_F(AuthTokenEndpointTest, RevokedRefreshTokenSaysToLogInAgain) {
  nlohmann::json user = test::authorized_user_json();
  user["refresh_token"] = "1//0g-revoked";
  user["token_uri"] = token_uri_;
  scratch_.write("gcloud/application_default_credentials.json", user.dump());
  auto token = chain()->token();
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("Token has been expired or revoked."), std::string::npos);
  EXPECT_NE(token.error().hint.find("gcloud auth application-default login"), std::string::npos);
}

std::mutex g_log_mutex;
std::string g_log;
void capture(log::Level /*level*/, std::string_view line) {
  const std::lock_guard lock(g_log_mutex);
  g_log.append(line).append("\n");
}

TEST_F(AuthTokenEndpointTest, TransportDebugLogShowsNoSecret) {
  const log::Level previous_level = log::level();
  log::set_level(log::Level::kDebug);
  const log::Sink previous_sink = log::set_sink(&capture);
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key(key_).string();
  auto service_account = chain()->token();
  env_.erase("GOOGLE_APPLICATION_CREDENTIALS");
  scratch_.write("gcloud/application_default_credentials.json",
                 test::authorized_user_json().dump());
  env_["DEEPDOCK_GCP_OAUTH_ENDPOINT"] = token_uri_;
  auto user = chain()->token();
  log::set_sink(previous_sink);
  log::set_level(previous_level);
  ASSERT_TRUE(service_account && user);
  const std::lock_guard lock(g_log_mutex);
  EXPECT_NE(g_log.find("http: POST /token"), std::string::npos) << g_log;
  for (const std::string_view secret :
       {kServiceAccountToken, kUserToken, std::string_view("refresh-token-value"),
        std::string_view("d-FL95Q-client-secret"), std::string_view("eyJ")}) {
    EXPECT_EQ(g_log.find(secret), std::string::npos) << secret << " in\n" << g_log;
  }
}

}  // namespace
}  // namespace deepdock::adapters::gcp
