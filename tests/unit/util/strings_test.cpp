#include "util/strings.hpp"

#include <gtest/gtest.h>

namespace deepdock::util {
namespace {

TEST(StringsTest, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
}

TEST(StringsTest, UrlEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(url_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
  EXPECT_EQ(url_encode(R"({"label":["x=y"]})"), "%7B%22label%22%3A%5B%22x%3Dy%22%5D%7D");
}

TEST(StringsTest, HumanBytesUsesDecimalUnits) {
  EXPECT_EQ(human_bytes(512), "512 B");
  EXPECT_EQ(human_bytes(12'000'000), "12.0 MB");
  EXPECT_EQ(human_bytes(1.5e9), "1.5 GB");
}

TEST(StringsTest, TrimAndCaseHelpers) {
  EXPECT_EQ(trim("  x y \n"), "x y");
  EXPECT_TRUE(iequals("Api-Version", "api-version"));
  EXPECT_TRUE(starts_with_icase("Content-Type: x", "content-type"));
  EXPECT_EQ(replace_all("a-b-c", "-", "--"), "a--b--c");
}

}  // namespace
}  // namespace deepdock::util
