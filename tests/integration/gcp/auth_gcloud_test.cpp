// The gcloud fallback with the real gcloud CLI, offline: CLOUDSDK_AUTH_ACCESS_TOKEN_FILE makes
// `gcloud auth print-access-token` print the file's token without any network.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "adapters/gcp/default_credentials.hpp"
#include "adapters/gcp/gcloud_token_source.hpp"
#include "adapters/host/local_executor.hpp"
#include "adapters/host/process.hpp"
#include "support/components.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

class AuthGcloudTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto found = host::run_process({"gcloud", "--version"}, "", std::chrono::seconds(60));
    if (!found || found->exit_code != 0) {
      if (testing::running_in_ci()) {
        FAIL() << "gcloud is not installed";
      }
      GTEST_SKIP() << "gcloud is not installed (the Google Cloud CLI)";
    }
    // gcloud reads these from its environment; an empty configuration of our own.
    ::setenv("CLOUDSDK_CONFIG", (scratch_.path() / "gcloud").c_str(), 1);
    ::setenv("CLOUDSDK_CORE_DISABLE_PROMPTS", "1", 1);
    ::unsetenv("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE");
  }
  void TearDown() override {
    ::unsetenv("CLOUDSDK_CONFIG");
    ::unsetenv("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE");
    ::unsetenv("CLOUDSDK_CORE_DISABLE_PROMPTS");
  }

  std::unique_ptr<DefaultCredentials> chain() {
    AuthContext context;
    context.env = test::env_of(
        {{"CLOUDSDK_CONFIG", (scratch_.path() / "gcloud").string()}, {"NO_GCE_CHECK", "True"}});
    context.connect = test::curl_factory();
    context.local = &local_;
    return std::make_unique<DefaultCredentials>(std::move(context));
  }

  test::ScratchDir scratch_;
  host::LocalExecutor local_;
};

TEST_F(AuthGcloudTest, TokenPrintedByTheRealGcloudIsUsed) {
  constexpr std::string_view kFileToken = "ya29.offline-token-from-a-file";
  const auto file = scratch_.write("token", std::string(kFileToken) + "\n");
  ::setenv("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", file.c_str(), 1);
  auto credentials = chain();
  auto token = credentials->token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(token->value, kFileToken);
  EXPECT_EQ(credentials->kind(), CredentialKind::kGcloud);
  EXPECT_EQ(credentials->describe(), "the gcloud account (`gcloud auth print-access-token`)");
}

TEST_F(AuthGcloudTest, GcloudWithNoAccountFailsWithEverythingTried) {
  auto token = chain()->token();
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, ErrorCode::kPrecondition);
  const std::string& message = token.error().message;
  EXPECT_NE(message.find("GOOGLE_APPLICATION_CREDENTIALS: not set"), std::string::npos);
  EXPECT_NE(message.find("NO_GCE_CHECK is set"), std::string::npos);
  EXPECT_NE(message.find("`gcloud auth print-access-token` exited 1"), std::string::npos)
      << message;
  EXPECT_NE(token.error().hint.find("gcloud auth application-default login"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
