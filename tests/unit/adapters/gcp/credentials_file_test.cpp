#include "adapters/gcp/credentials_file.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/redact.hpp"

namespace deepdock::adapters::gcp {
namespace {

using test::authorized_user_json;
using test::ScratchDir;
using test::service_account_json;
using test::TestRsaKey;

TEST(CredentialsFileTest, ServiceAccountKeyIsReadWithItsProject) {
  const TestRsaKey key;
  const ScratchDir dir;
  const auto path = dir.write(
      "key.json", service_account_json(key, "https://oauth2.googleapis.com/token").dump());
  auto file = load_credentials_file(path, "GOOGLE_APPLICATION_CREDENTIALS");
  ASSERT_TRUE(file) << file.error().message;
  const auto& sa = std::get<ServiceAccountKey>(file->credentials);
  EXPECT_EQ(sa.client_email, "builder@key-project.iam.gserviceaccount.com");
  EXPECT_EQ(sa.private_key_id, "0123abcd");
  EXPECT_EQ(sa.token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(file->project(), "key-project");
  EXPECT_EQ(file->origin, "GOOGLE_APPLICATION_CREDENTIALS");
}

TEST(CredentialsFileTest, AuthorizedUserIsReadAndItsSecretsAreMaskedInLogs) {
  auto parsed = parse_credentials(authorized_user_json().dump(), "adc.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& user = std::get<AuthorizedUser>(*parsed);
  EXPECT_EQ(user.refresh_token, "1//0g-refresh-token-value");
  EXPECT_EQ(user.quota_project_id, "quota-project");
  EXPECT_TRUE(user.token_uri.empty());
  const std::string shown = util::redact("rt 1//0g-refresh-token-value cs d-FL95Q-client-secret");
  EXPECT_EQ(shown.find("refresh-token-value"), std::string::npos);
  EXPECT_EQ(shown.find("d-FL95Q-client-secret"), std::string::npos);
}

TEST(CredentialsFileTest, MissingFieldsAreNamedAll) {
  nlohmann::json user = authorized_user_json();
  user.erase("client_secret");
  user.erase("refresh_token");
  auto parsed = parse_credentials(user.dump(), "adc.json");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(parsed.error().message.find("client_secret, refresh_token"), std::string::npos);
  EXPECT_NE(parsed.error().hint.find("gcloud auth application-default login"), std::string::npos);

  auto key = parse_credentials(R"({"type":"service_account","client_email":"a@b"})", "k.json");
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find("private_key, token_uri"), std::string::npos);
}

TEST(CredentialsFileTest, UnsupportedAndUnknownTypesAreRefusedWithAHint) {
  auto external = parse_credentials(R"({"type":"external_account"})", "wif.json");
  ASSERT_FALSE(external);
  EXPECT_EQ(external.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(external.error().message.find("\"external_account\""), std::string::npos);
  EXPECT_FALSE(external.error().hint.empty());

  auto unknown = parse_credentials(R"({"type":"magic"})", "m.json");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(unknown.error().message.find("unknown type \"magic\""), std::string::npos);

  auto not_json = parse_credentials("{nope", "x.json");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message.find("x.json is not a JSON object"), std::string::npos);
}

TEST(CredentialsFileTest, MissingFileNamesTheVariableToFix) {
  auto file = load_credentials_file("/nonexistent/key.json", "GOOGLE_APPLICATION_CREDENTIALS");
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("/nonexistent/key.json (GOOGLE_APPLICATION_CREDENTIALS)"),
            std::string::npos);
  EXPECT_NE(file.error().hint.find("GOOGLE_APPLICATION_CREDENTIALS"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
