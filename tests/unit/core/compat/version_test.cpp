#include "core/compat/version.hpp"

#include <gtest/gtest.h>

#include "core/compat/compute_capability.hpp"
#include "core/compat/kernel_set.hpp"

namespace deepdock::core {
namespace {

TEST(VersionTest, ComparesPartsAsNumbers) {
  EXPECT_LT(version_of("2.15.1"), version_of("2.16.0"));
  EXPECT_LT(version_of("3.9"), version_of("3.10"));
  EXPECT_LT(version_of("525.60.13"), version_of("535.54.03"));
  EXPECT_GT(version_of("470.82.01"), version_of("450.80.02"));
}

TEST(VersionTest, MissingPartsCountAsZero) {
  EXPECT_EQ(version_of("2.15"), version_of("2.15.0"));
  EXPECT_EQ(version_of("580"), version_of("580.0.0"));
  EXPECT_LT(version_of("580"), version_of("580.65.06"));
}

TEST(VersionTest, KeepsTheTextAsWritten) {
  EXPECT_EQ(version_of("535.183.01").text(), "535.183.01");
  EXPECT_EQ(version_of("535.183.01").part(2), 1);
}

TEST(VersionTest, PrefixMatchesReleasesOfAMinor) {
  EXPECT_TRUE(version_of("2.15.1").has_prefix(version_of("2.15")));
  EXPECT_TRUE(version_of("2.15.0").has_prefix(version_of("2.15.0")));
  EXPECT_FALSE(version_of("2.1.0").has_prefix(version_of("2.15")));
  EXPECT_FALSE(version_of("2.15").has_prefix(version_of("2.15.0")));
  EXPECT_TRUE(version_of("2.15.0").has_prefix(Version{}));
  EXPECT_EQ(version_of("2.15.1").truncated(2).text(), "2.15");
}

TEST(VersionTest, RejectsWhatIsNotADottedNumber) {
  for (const char* text :
       {"", ".", "2.", ".2", "2..1", "v2", "2.15-rc1", "1.2.3.4.5", "-1", "2.x"}) {
    EXPECT_FALSE(Version::parse(text)) << text;
  }
  EXPECT_TRUE(Version::parse("8"));
}

TEST(ComputeCapabilityTest, ParsesAndNames) {
  const auto cc = ComputeCapability::parse("8.6");
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->sm(), "sm_86");
  EXPECT_EQ(cc->compute(), "compute_86");
  EXPECT_EQ(ComputeCapability::parse("10.0")->sm(), "sm_100");
  EXPECT_FALSE(ComputeCapability::parse("86"));
  EXPECT_FALSE(ComputeCapability::parse("8.6.1"));
  EXPECT_FALSE(ComputeCapability::parse("8.10"));
}

TEST(ComputeCapabilityTest, SassRunsWithinAMajorOnlyAndPtxRunsUpward) {
  const ComputeCapability sm80{8, 0};
  EXPECT_TRUE(sass_runs_on(sm80, {8, 9}));
  EXPECT_FALSE(sass_runs_on(sm80, {9, 0}));
  EXPECT_FALSE(sass_runs_on({8, 6}, {8, 0}));
  EXPECT_TRUE(ptx_runs_on(sm80, {9, 0}));
  EXPECT_FALSE(ptx_runs_on({9, 0}, {8, 9}));
}

TEST(KernelSetTest, FitsBySassThenPtxThenDocumentedMinimum) {
  KernelSet tf215{std::vector<ComputeCapability>{{5, 0}, {6, 0}, {7, 0}, {8, 0}},
                  std::vector<ComputeCapability>{{9, 0}},
                  ComputeCapability{5, 0},
                  {}};
  EXPECT_EQ(kernel_fit(tf215, {7, 5}), KernelFit::kSass);
  EXPECT_EQ(kernel_fit(tf215, {9, 0}), KernelFit::kPtx);
  EXPECT_EQ(kernel_fit(tf215, {3, 7}), KernelFit::kNone);
  KernelSet tf1x{std::nullopt, std::nullopt, ComputeCapability{3, 5}, {}};
  EXPECT_EQ(kernel_fit(tf1x, {3, 7}), KernelFit::kMinimumOnly);
  EXPECT_EQ(kernel_fit(tf1x, {3, 0}), KernelFit::kNone);
  KernelSet no_ptx_record{
      std::vector<ComputeCapability>{{7, 0}}, std::nullopt, ComputeCapability{3, 5}, {}};
  EXPECT_EQ(kernel_fit(no_ptx_record, {9, 0}), KernelFit::kNone);
  EXPECT_EQ(describe_kernels(tf215), "SASS sm_50, sm_60, sm_70, sm_80 and PTX compute_90");
}

}  // namespace
}  // namespace deepdock::core
