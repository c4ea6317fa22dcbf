#include "util/sha256.hpp"

#include <gtest/gtest.h>

namespace deepdock::util {
namespace {

TEST(Sha256Test, MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentHasherTest, SameInputsGiveTheSameHash) {
  ContentHasher a;
  ContentHasher b;
  EXPECT_EQ(a.add("dockerfile", "FROM x").add("req", "numpy").finish(),
            b.add("dockerfile", "FROM x").add("req", "numpy").finish());
}

TEST(ContentHasherTest, FramingKeepsPartBoundariesApart) {
  ContentHasher a;
  ContentHasher b;
  EXPECT_NE(a.add("p", "ab").add("p", "c").finish(), b.add("p", "a").add("p", "bc").finish());
}

TEST(ContentHasherTest, NamesCount) {
  ContentHasher a;
  ContentHasher b;
  EXPECT_NE(a.add("requirements", "x").finish(), b.add("apt", "x").finish());
}

}  // namespace
}  // namespace deepdock::util
