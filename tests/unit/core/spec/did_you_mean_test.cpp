#include "core/spec/did_you_mean.hpp"

#include <gtest/gtest.h>

#include <array>

namespace deepdock::core {
namespace {

constexpr std::array<std::string_view, 5> kKeys = {"framework", "version", "gpu", "python",
                                                   "requirements"};

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("gpu", ""), 3U);
  EXPECT_EQ(edit_distance("framwork", "framework"), 1U);
  EXPECT_EQ(edit_distance("verison", "version"), 1U);  // a swap is one edit
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("GPU", "gpu"), 0U);
}

TEST(DidYouMeanTest, SuggestsTheClosestKeyForATypo) {
  EXPECT_EQ(did_you_mean("framwork", kKeys), "framework");
  EXPECT_EQ(did_you_mean("verison", kKeys), "version");
  EXPECT_EQ(did_you_mean("gpus", kKeys), "gpu");
  EXPECT_EQ(did_you_mean("Python", kKeys), "python");
  EXPECT_EQ(did_you_mean("requirement", kKeys), "requirements");
}

TEST(DidYouMeanTest, StaysQuietForUnrelatedWords) {
  EXPECT_EQ(did_you_mean("colour", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("x", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean(std::string(500, 'a'), kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("framework", {}), std::nullopt);
}

}  // namespace
}  // namespace deepdock::core
