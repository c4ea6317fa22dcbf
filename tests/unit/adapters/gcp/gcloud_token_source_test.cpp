#include "adapters/gcp/gcloud_token_source.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using test::fails_with;

// gcloud played by a script: `answer_` is what the next run returns.
class GcloudTokenSourceTest : public ::testing::Test {
 protected:
  GcloudTokenSourceTest()
      : gcloud_([this](const std::vector<std::string>&) { return answer_; }),
        context_(test::test_context(transports_, {})) {
    context_.local = &gcloud_;
  }
  Result<core::AccessToken> token(std::vector<std::string> tried = {}) {
    return GcloudTokenSource(context_, std::move(tried)).token();
  }

  Result<core::HostCommandResult> answer_;
  test::ScriptedExecutor gcloud_;
  test::FakeTransports transports_;
  AuthContext context_;
};

TEST_F(GcloudTokenSourceTest, PrintedTokenIsUsedForAFewMinutes) {
  answer_ = core::HostCommandResult{0, "ya29.from-gcloud-token\n", "notice on stderr"};
  auto printed = token();
  ASSERT_TRUE(printed) << printed.error().message;
  EXPECT_EQ(printed->value, "ya29.from-gcloud-token");
  EXPECT_EQ(printed->expires_at, context_.now() + kGcloudTokenLifetime);
  EXPECT_EQ(
      gcloud_.ran,
      (std::vector<std::vector<std::string>>{{"gcloud", "auth", "print-access-token", "--quiet"}}));
}

TEST_F(GcloudTokenSourceTest, FailureListsEverythingTriedAndWhatToDo) {
  answer_ = core::HostCommandResult{
      1, "",
      "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account "
      "selected.\nPlease run:\n\n  $ gcloud auth login\n"};
  EXPECT_TRUE(fails_with(token({"GOOGLE_APPLICATION_CREDENTIALS: not set",
                                "/h/.config/gcloud/application_default_credentials.json: does "
                                "not exist"}),
                         ErrorCode::kPrecondition,
                         "no Google Cloud credentials found; tried:\n"
                         "  - GOOGLE_APPLICATION_CREDENTIALS: not set\n"
                         "  - /h/.config/gcloud/application_default_credentials.json: does not "
                         "exist\n"
                         "  - `gcloud auth print-access-token` exited 1: ERROR: "
                         "(gcloud.auth.print-access-token) You do not currently have an active "
                         "account selected.",
                         "run `gcloud auth application-default login`"));
}

TEST_F(GcloudTokenSourceTest, MissingGcloudIsSaidSo) {
  answer_ = fail(ErrorCode::kNotFound, "gcloud: not found on PATH");
  EXPECT_TRUE(fails_with(token(), ErrorCode::kPrecondition, "gcloud is not installed",
                         "GOOGLE_APPLICATION_CREDENTIALS"));
}

TEST_F(GcloudTokenSourceTest, FailingRunNeverShowsWhatItPrinted) {
  answer_ =
      core::HostCommandResult{2, "ya29.half-printed-token", "printed ya29.half-printed-token"};
  auto failed = token();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message.find("half-printed"), std::string::npos)
      << failed.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::gcp
