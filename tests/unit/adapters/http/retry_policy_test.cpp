#include "adapters/http/retry_policy.hpp"

#include <gtest/gtest.h>

namespace deepdock::adapters::http {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, AllowsAttemptsUpToTheMaximum) {
  const RetryPolicy policy{4, milliseconds(100), milliseconds(2000)};
  EXPECT_TRUE(policy.allows_another(1));
  EXPECT_TRUE(policy.allows_another(3));
  EXPECT_FALSE(policy.allows_another(4));
}

TEST(RetryPolicyTest, NonPositiveMaximumMeansOneAttempt) {
  EXPECT_FALSE((RetryPolicy{0, milliseconds(100), milliseconds(2000)}.allows_another(1)));
  EXPECT_FALSE((RetryPolicy{-3, milliseconds(100), milliseconds(2000)}.allows_another(1)));
}

TEST(RetryPolicyTest, DelayDoublesWithEachAttempt) {
  const RetryPolicy policy{10, milliseconds(100), milliseconds(2000)};
  EXPECT_EQ(policy.delay_after(1, 1.0), milliseconds(100));
  EXPECT_EQ(policy.delay_after(2, 1.0), milliseconds(200));
  EXPECT_EQ(policy.delay_after(3, 1.0), milliseconds(400));
  EXPECT_EQ(policy.delay_after(4, 1.0), milliseconds(800));
}

TEST(RetryPolicyTest, JitterVariesTheSecondHalfOnly) {
  const RetryPolicy policy{10, milliseconds(100), milliseconds(2000)};
  EXPECT_EQ(policy.delay_after(3, 0.0), milliseconds(200));
  EXPECT_EQ(policy.delay_after(3, 0.5), milliseconds(300));
  EXPECT_EQ(policy.delay_after(3, 7.0), milliseconds(400));  // clamped to [0, 1]
  EXPECT_EQ(policy.delay_after(3, -1.0), milliseconds(200));
}

TEST(RetryPolicyTest, DelayIsCapped) {
  const RetryPolicy policy{100, milliseconds(100), milliseconds(2000)};
  EXPECT_EQ(policy.delay_after(6, 1.0), milliseconds(2000));
  EXPECT_EQ(policy.delay_after(60, 1.0), milliseconds(2000));
  const RetryPolicy huge{100, milliseconds(1'000'000'000'000), milliseconds(2000)};
  EXPECT_EQ(huge.delay_after(40, 1.0), milliseconds(2000));
}

TEST(RetryPolicyTest, RetryableStatusesAreTheTryAgainLaterOnes) {
  for (const int status : {429, 502, 503, 504}) {
    EXPECT_TRUE(is_retryable_status(status)) << status;
  }
  for (const int status : {200, 204, 400, 401, 404, 409, 500, 501}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

}  // namespace
}  // namespace deepdock::adapters::http
