#include "adapters/gcp/token_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "adapters/host/state_dir.hpp"
#include "fakes/fake_state_store.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using std::chrono::seconds;
using test::FakeTransports;

// Hands out "token-N" valid for `lifetime` from the context's clock, counting its calls.
class CountingSource final : public core::AccessTokenSource {
 public:
  CountingSource(const AuthContext& context, int* calls, seconds lifetime = seconds(3600))
      : context_(context), calls_(calls), lifetime_(lifetime) {}
  Result<core::AccessToken> token() override {
    ++*calls_;
    return core::AccessToken{"ya29.token-" + std::to_string(*calls_), context_.now() + lifetime_,
                             "counting"};
  }
  [[nodiscard]] std::string describe() const override { return "counting source"; }

 private:
  const AuthContext& context_;
  int* calls_;
  seconds lifetime_;
};

class TokenCacheTest : public ::testing::Test {
 protected:
  TokenCacheTest() : context_(test::test_context(transports_, {}, &now_)) {
    context_.token_cache = &store_;
  }
  std::unique_ptr<CachedTokenSource> cached(bool persist = true) {
    return std::make_unique<CachedTokenSource>(
        context_, std::make_unique<CountingSource>(context_, &calls_), "identity-a", persist);
  }

  int64_t now_ = test::kTestNowSeconds;
  int calls_ = 0;
  FakeTransports transports_;
  testing::FakeStateStore store_;
  AuthContext context_;
};

TEST_F(TokenCacheTest, TokenIsReusedUntilAMinuteBeforeItExpires) {
  auto source = cached();
  EXPECT_EQ(source->token()->value, "ya29.token-1");
  now_ += 3600 - 61;
  EXPECT_EQ(source->token()->value, "ya29.token-1");
  now_ += 1;  // 60 s left: too close
  EXPECT_EQ(source->token()->value, "ya29.token-2");
  EXPECT_EQ(calls_, 2);
}

TEST_F(TokenCacheTest, NextRunReadsTheRecordInsteadOfFetching) {
  ASSERT_TRUE(cached()->token());
  ASSERT_EQ(store_.records.size(), 1U);
  const auto& [key, record] = *store_.records.begin();
  EXPECT_EQ(key, token_cache_key(context_, "identity-a"));
  EXPECT_EQ(key.rfind("gcp-token-", 0), 0U);
  const auto parsed = nlohmann::json::parse(record);
  EXPECT_EQ(parsed["expires_at"], test::kTestNowSeconds + 3600);

  auto next_run = cached();
  auto token = next_run->token();
  ASSERT_TRUE(token);
  EXPECT_EQ(token->value, "ya29.token-1");
  EXPECT_EQ(token->expires_at,
            std::chrono::system_clock::time_point(seconds(test::kTestNowSeconds + 3600)));
  EXPECT_EQ(calls_, 1);
}

TEST_F(TokenCacheTest, ExpiredOrUnreadableRecordsAreReplaced) {
  ASSERT_TRUE(cached()->token());
  now_ += 3600;
  EXPECT_EQ(cached()->token()->value, "ya29.token-2");
  store_.records.begin()->second = "{not json";
  EXPECT_EQ(cached()->token()->value, "ya29.token-3");
  EXPECT_EQ(nlohmann::json::parse(store_.records.begin()->second)["access_token"], "ya29.token-3");
}

TEST_F(TokenCacheTest, KeyDependsOnIdentityAndScopes) {
  const std::string base = token_cache_key(context_, "identity-a");
  EXPECT_NE(base, token_cache_key(context_, "identity-b"));
  AuthContext narrower = context_;
  narrower.scopes = {"https://www.googleapis.com/auth/compute"};
  EXPECT_NE(base, token_cache_key(narrower, "identity-a"));
}

TEST_F(TokenCacheTest, MemoryOnlyWritesNoRecord) {
  auto source = cached(/*persist=*/false);
  ASSERT_TRUE(source->token());
  ASSERT_TRUE(source->token());
  EXPECT_TRUE(store_.records.empty());
  EXPECT_EQ(calls_, 1);
}

TEST_F(TokenCacheTest, RecordInTheStateDirectoryIsAPrivateFile) {
  const test::ScratchDir scratch;
  host::StateDir state(scratch.path() / "state");
  context_.token_cache = &state;
  ASSERT_TRUE(cached()->token());
  const auto file = scratch.path() / "state" / token_cache_key(context_, "identity-a");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0600U);
  ASSERT_EQ(::stat((scratch.path() / "state").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0700U);
  EXPECT_EQ(cached()->token()->value, "ya29.token-1");
  EXPECT_EQ(calls_, 1);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
