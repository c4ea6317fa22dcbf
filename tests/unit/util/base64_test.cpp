#include "util/base64.hpp"

#include <gtest/gtest.h>

namespace deepdock::util {
namespace {

TEST(Base64Test, EncodesStandardAlphabetWithPadding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("{}"), "e30=");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(Base64Test, UrlVariantUsesDashAndUnderscoreKeepingPadding) {
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8=");
}

TEST(Base64Test, DecodesBothAlphabetsWithOrWithoutPadding) {
  EXPECT_EQ(base64_decode("+/8="), std::string("\xfb\xff"));
  EXPECT_EQ(base64_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64_decode("dXNlcjpwYXNz"), "user:pass");
}

TEST(Base64Test, RejectsMalformedInput) {
  EXPECT_FALSE(base64_decode("@@@@").has_value());
}

TEST(Base64Test, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all += static_cast<char>(i);
  }
  EXPECT_EQ(base64_decode(base64url_encode(all)), all);
}

}  // namespace
}  // namespace deepdock::util
