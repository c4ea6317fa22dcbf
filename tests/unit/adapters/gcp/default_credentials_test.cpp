#include "adapters/gcp/default_credentials.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_state_store.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using test::FakeTransports;
using test::ScratchDir;
using test::ScriptedExecutor;
using test::TestRsaKey;
using testing::reply;

constexpr std::string_view kTokenAnswer =
    R"({"access_token":"ya29.c.chain-token","expires_in":3599})";

class DefaultCredentialsTest : public ::testing::Test {
 protected:
  DefaultCredentialsTest()
      : gcloud_([this](const std::vector<std::string>&) -> Result<core::HostCommandResult> {
          return gcloud_answer_;
        }) {
    env_["CLOUDSDK_CONFIG"] = gcloud_dir().string();
    transports_.at("https://oauth.test")
        .on(HttpMethod::kPost, "/token", reply(200, std::string(kTokenAnswer)));
    transports_.at("https://oauth2.googleapis.com")
        .on(HttpMethod::kPost, "/token", reply(200, std::string(kTokenAnswer)));
  }

  [[nodiscard]] std::filesystem::path gcloud_dir() const { return scratch_.path() / "gcloud"; }
  std::filesystem::path write_key() {
    return scratch_.write("key.json",
                          test::service_account_json(key_, "https://oauth.test/token").dump());
  }
  void write_well_known_user() {
    scratch_.write("gcloud/application_default_credentials.json",
                   test::authorized_user_json().dump());
  }
  std::unique_ptr<DefaultCredentials> chain() {
    AuthContext context = test::test_context(transports_, env_);
    context.local = &gcloud_;
    context.token_cache = &store_;
    return std::make_unique<DefaultCredentials>(std::move(context));
  }
  [[nodiscard]] bool probed_metadata() const {
    const auto& connected = transports_.connected();
    return std::find(connected.begin(), connected.end(), "http://169.254.169.254") !=
           connected.end();
  }

  ScratchDir scratch_;
  TestRsaKey key_;
  std::map<std::string, std::string> env_;
  FakeTransports transports_;
  testing::FakeStateStore store_;
  core::HostCommandResult gcloud_answer_{1, "", "ERROR: no active account"};
  ScriptedExecutor gcloud_;
};

TEST_F(DefaultCredentialsTest, VariableWinsOverTheWellKnownFile) {
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key().string();
  write_well_known_user();
  auto credentials = chain();
  auto token = credentials->token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, "ya29.c.chain-token");
  EXPECT_EQ(credentials->kind(), CredentialKind::kServiceAccountFile);
  EXPECT_EQ(transports_.at("https://oauth.test").requests().size(), 1U);
  EXPECT_TRUE(transports_.at("https://oauth2.googleapis.com").requests().empty());
  EXPECT_FALSE(probed_metadata());
  EXPECT_NE(credentials->describe().find("builder@key-project.iam.gserviceaccount.com"),
            std::string::npos);
  EXPECT_NE(credentials->describe().find("GOOGLE_APPLICATION_CREDENTIALS"), std::string::npos);
}

TEST_F(DefaultCredentialsTest, WellKnownFileIsNextAndUsesGooglesEndpoint) {
  write_well_known_user();
  auto credentials = chain();
  ASSERT_TRUE(credentials->token());
  EXPECT_EQ(credentials->kind(), CredentialKind::kAuthorizedUserFile);
  EXPECT_EQ(transports_.at("https://oauth2.googleapis.com").requests().size(), 1U);
  EXPECT_EQ(credentials->passed_over(),
            std::vector<std::string>{"GOOGLE_APPLICATION_CREDENTIALS: not set"});
  EXPECT_EQ(credentials->quota_project(), "quota-project");
  EXPECT_FALSE(probed_metadata());
}

TEST_F(DefaultCredentialsTest, MetadataServerIsNextWhenItAnswersAsGoogle) {
  transports_.at("http://169.254.169.254")
      .on(HttpMethod::kGet, "/", reply(200, "", test::google_flavor()));
  transports_.at("http://metadata.google.internal")
      .on(HttpMethod::kGet, "/computeMetadata/v1/instance/", reply(200, std::string(kTokenAnswer)));
  auto credentials = chain();
  ASSERT_TRUE(credentials->token());
  EXPECT_EQ(credentials->kind(), CredentialKind::kMetadataServer);
  EXPECT_TRUE(gcloud_.ran.empty());
  ASSERT_EQ(credentials->passed_over().size(), 2U);
  EXPECT_NE(credentials->passed_over()[1].find("application_default_credentials.json: does not "
                                               "exist"),
            std::string::npos);
}

TEST_F(DefaultCredentialsTest, GcloudIsTheLastResortAndItsFailureListsEverythingTried) {
  transports_.at("http://169.254.169.254")
      .on(HttpMethod::kGet, "/", testing::transport_error(ErrorCode::kTimeout, "timed out"));
  auto credentials = chain();
  auto token = credentials->token();
  ASSERT_FALSE(token);
  EXPECT_EQ(credentials->kind(), CredentialKind::kGcloud);
  EXPECT_EQ(token.error().code, ErrorCode::kPrecondition);
  const std::string& message = token.error().message;
  const size_t variable = message.find("GOOGLE_APPLICATION_CREDENTIALS: not set");
  const size_t well_known = message.find("application_default_credentials.json: does not exist");
  const size_t metadata = message.find("the GCE metadata server: no metadata server answered");
  const size_t gcloud = message.find("`gcloud auth print-access-token` exited 1");
  EXPECT_TRUE(variable < well_known && well_known < metadata && metadata < gcloud) << message;
  EXPECT_NE(token.error().hint.find("gcloud auth application-default login"), std::string::npos);

  gcloud_answer_ = {0, "ya29.gcloud-token\n", ""};
  auto retried = credentials->token();
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->value, "ya29.gcloud-token");
  EXPECT_TRUE(store_.records.empty()) << "gcloud keeps its own cache";
}

TEST_F(DefaultCredentialsTest, BrokenNamedFileStopsTheSearch) {
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = (scratch_.path() / "missing.json").string();
  write_well_known_user();
  auto credentials = chain();
  auto token = credentials->token();
  ASSERT_FALSE(token);
  EXPECT_NE(token.error().message.find("missing.json (GOOGLE_APPLICATION_CREDENTIALS)"),
            std::string::npos);
  EXPECT_FALSE(probed_metadata());
  EXPECT_TRUE(gcloud_.ran.empty());
  EXPECT_TRUE(transports_.at("https://oauth2.googleapis.com").requests().empty());
}

TEST_F(DefaultCredentialsTest, TokensAreCachedAcrossRuns) {
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key().string();
  ASSERT_TRUE(chain()->token());
  auto again = chain()->token();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->value, "ya29.c.chain-token");
  EXPECT_EQ(transports_.at("https://oauth.test").requests().size(), 1U);
  EXPECT_EQ(store_.records.size(), 1U);
}

TEST_F(DefaultCredentialsTest, ProjectFollowsGoogleAuthsOrder) {
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key().string();
  scratch_.write("gcloud/configurations/config_default", "[core]\nproject = config-project\n");
  auto from_key = chain()->project();
  ASSERT_TRUE(from_key && *from_key);
  EXPECT_EQ((*from_key)->value, "key-project");

  env_["GOOGLE_CLOUD_PROJECT"] = "env-project";
  auto from_env = chain()->project();
  ASSERT_TRUE(from_env && *from_env);
  EXPECT_EQ((*from_env)->value, "env-project");
  EXPECT_EQ((*from_env)->origin, "GOOGLE_CLOUD_PROJECT");

  env_.erase("GOOGLE_CLOUD_PROJECT");
  env_.erase("GOOGLE_APPLICATION_CREDENTIALS");
  nlohmann::json user = test::authorized_user_json();
  user.erase("quota_project_id");
  scratch_.write("gcloud/application_default_credentials.json", user.dump());
  auto from_config = chain()->project();
  ASSERT_TRUE(from_config && *from_config);
  EXPECT_EQ((*from_config)->value, "config-project");
}

TEST_F(DefaultCredentialsTest, ProjectOfAVmComesFromTheMetadataServer) {
  transports_.at("http://169.254.169.254")
      .on(HttpMethod::kGet, "/", reply(200, "", test::google_flavor()));
  transports_.at("http://metadata.google.internal")
      .on(HttpMethod::kGet, "/computeMetadata/v1/project/project-id", reply(200, "vm-project"));
  auto project = chain()->project();
  ASSERT_TRUE(project && *project);
  EXPECT_EQ((*project)->value, "vm-project");
}

// Everything logged, captured through log::set_sink (a plain function pointer).
std::string g_logged;
void capture(log::Level /*level*/, std::string_view line) {
  g_logged.append(line).append("\n");
}

TEST_F(DefaultCredentialsTest, NoSecretReachesTheLog) {
  const log::Level previous_level = log::level();
  log::set_level(log::Level::kDebug);
  const log::Sink previous_sink = log::set_sink(&capture);
  g_logged.clear();
  env_["GOOGLE_APPLICATION_CREDENTIALS"] = write_key().string();
  auto service_account = chain()->token();
  env_.erase("GOOGLE_APPLICATION_CREDENTIALS");
  write_well_known_user();
  store_.records.clear();
  auto user = chain()->token();
  // A stray secret in a message is masked too.
  const std::string assertion =
      test::form_value(transports_.at("https://oauth.test").requests().at(0).body, "assertion");
  log::error("oops {} {} {}", assertion, "1//0g-refresh-token-value", "ya29.c.chain-token");
  log::set_sink(previous_sink);
  log::set_level(previous_level);
  ASSERT_TRUE(service_account && user);
  EXPECT_NE(g_logged.find("gcp auth: credentials: service account"), std::string::npos);
  for (const std::string& secret :
       {std::string("ya29.c.chain-token"), std::string("1//0g-refresh-token-value"),
        std::string("d-FL95Q-client-secret"), assertion, key_.private_pem().substr(40, 40)}) {
    EXPECT_EQ(g_logged.find(secret), std::string::npos) << secret << " in\n" << g_logged;
  }
}

}  // namespace
}  // namespace deepdock::adapters::gcp
