#include "util/redact.hpp"

#include <gtest/gtest.h>

namespace deepdock::util {
namespace {

class RedactTest : public ::testing::Test {
 protected:
  void TearDown() override { clear_registered_secrets(); }
};

TEST_F(RedactTest, MasksAuthorizationHeaderValue) {
  EXPECT_EQ(redact("Authorization: Bearer ya29.secret-token"), "Authorization: <redacted>");
  EXPECT_EQ(redact("x-registry-auth: eyJ1c2VybmFtZSI6ImEifQ=="), "x-registry-auth: <redacted>");
}

TEST_F(RedactTest, MasksJsonSecretFieldsButKeepsOthers) {
  const std::string text =
      R"({"username":"alice","password":"hunter2","Secret":"abc","ServerURL":"r"})";
  EXPECT_EQ(
      redact(text),
      R"({"username":"alice","password":"<redacted>","Secret":"<redacted>","ServerURL":"r"})");
}

TEST_F(RedactTest, MasksEscapedQuotesInsideJsonSecret) {
  EXPECT_EQ(redact(R"({"access_token":"a\"b"})"), R"({"access_token":"<redacted>"})");
}

TEST_F(RedactTest, MasksTokenQueryParametersAndUrlPasswords) {
  EXPECT_EQ(redact("GET /api?token=abcdef&x=1"), "GET /api?token=<redacted>&x=1");
  EXPECT_EQ(redact("https://user:pa55word@example.com/x"), "https://user:<redacted>@example.com/x");
}

TEST_F(RedactTest, MasksOAuthFormFields) {
  EXPECT_EQ(redact("grant_type=urn%3Ajwt-bearer&assertion=eyJhbGci.eyJpc3Mi.c2ln"),
            "grant_type=urn%3Ajwt-bearer&assertion=<redacted>");
  EXPECT_EQ(redact("client_id=abc&client_secret=s3cr3t&refresh_token=1//0g&grant_type=x"),
            "client_id=abc&client_secret=<redacted>&refresh_token=<redacted>&grant_type=x");
}

TEST_F(RedactTest, MasksRegisteredSecretsAnywhere) {
  register_secret("ghp_0123456789");
  EXPECT_EQ(redact("the token ghp_0123456789 leaked"), "the token <redacted> leaked");
}

TEST_F(RedactTest, IgnoresTooShortRegisteredSecrets) {
  register_secret("abc");
  EXPECT_EQ(redact("abc def"), "abc def");
}

TEST_F(RedactTest, LeavesOrdinaryTextAlone) {
  const std::string text = "pulling tensorflow/tensorflow:2.15.0-gpu-jupyter from docker.io";
  EXPECT_EQ(redact(text), text);
}

TEST_F(RedactTest, RecognisesSecretHeaderNamesCaseInsensitively) {
  EXPECT_TRUE(is_secret_header("AUTHORIZATION"));
  EXPECT_TRUE(is_secret_header("X-Registry-Auth"));
  EXPECT_FALSE(is_secret_header("Content-Type"));
}

}  // namespace
}  // namespace deepdock::util
