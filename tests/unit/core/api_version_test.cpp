#include "core/model/api_version.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(ApiVersionTest, ParsesAndComparesNumerically) {
  const auto v141 = ApiVersion::parse("1.41").value();
  const auto v19 = ApiVersion::parse("1.9").value();
  EXPECT_LT(v19, v141);
  EXPECT_EQ(v141.str(), "1.41");
  EXPECT_EQ(ApiVersion::parse("1.47").value(), (ApiVersion{1, 47}));
}

TEST(ApiVersionTest, RejectsMalformedText) {
  for (const char* bad : {"", "1", "1.", ".4", "1.4x", "v1.41"}) {
    EXPECT_FALSE(ApiVersion::parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace deepdock::core
