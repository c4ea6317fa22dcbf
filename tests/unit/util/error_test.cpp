#include "util/error.hpp"

#include <gtest/gtest.h>

namespace deepdock {
namespace {

Result<int> parse_positive(int value) {
  if (value <= 0) {
    return fail(ErrorCode::kInvalidInput, "not positive", "pass a number above 0");
  }
  return value;
}

Result<int> doubled(int value) {
  TRY_ASSIGN(const int checked, parse_positive(value));
  return checked * 2;
}

Status check(int value) {
  TRY(parse_positive(value));
  return {};
}

TEST(ErrorTest, ExitCodesFollowTheDocumentedClasses) {
  EXPECT_EQ((Error{ErrorCode::kFailure, "", ""}.exit_code()), 1);
  EXPECT_EQ((Error{ErrorCode::kInvalidInput, "", ""}.exit_code()), 2);
  EXPECT_EQ((Error{ErrorCode::kPrecondition, "", ""}.exit_code()), 3);
  EXPECT_EQ((Error{ErrorCode::kIncompatible, "", ""}.exit_code()), 3);
  EXPECT_EQ((Error{ErrorCode::kPermissionDenied, "", ""}.exit_code()), 3);
  EXPECT_EQ((Error{ErrorCode::kCancelled, "", ""}.exit_code()), 130);
}

TEST(ErrorTest, TryPropagatesErrorsAndValues) {
  EXPECT_EQ(doubled(4).value(), 8);
  const auto bad = doubled(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().hint, "pass a number above 0");
  EXPECT_TRUE(check(1));
  EXPECT_FALSE(check(0));
}

TEST(ErrorTest, ContextPrefixesTheMessageAndKeepsCodeAndHint) {
  const Error e = Error{ErrorCode::kNotFound, "no such image", "pull it"}.context("inspecting x");
  EXPECT_EQ(e.message, "inspecting x: no such image");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.hint, "pull it");
}

}  // namespace
}  // namespace deepdock
