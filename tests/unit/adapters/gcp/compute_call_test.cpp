// How Compute Engine calls are made: retries and back-off, the token refreshed on 401,
// cancellation, request IDs, and no token in the log.
#include "adapters/gcp/compute_call.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "adapters/gcp/compute_client.hpp"
#include "unit/adapters/gcp/compute_test_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::gcp {
namespace {

using namespace compute_test;  // NOLINT(google-build-using-namespace)
using core::HttpMethod;
using nlohmann::json;
using testing::FakeTransport;
using testing::reply;
using testing::transport_error;

// The calls' behaviour, seen through the client that makes them.
class ComputeCallTest : public ComputeClientTest {};

TEST_F(ComputeCallTest, RetriesKeepTheRequestIdAndBackOffLonger) {
  transport_->once(HttpMethod::kPost, path("/zones/"),
                   reply(503, google_error(503, "backendError", "Internal error.")));
  transport_->once(HttpMethod::kPost, path("/zones/"),
                   reply(429, google_error(429, "rateLimitExceeded", "Rate Limit Exceeded")));
  transport_->once(HttpMethod::kPost, path("/zones/"),
                   transport_error(ErrorCode::kUnavailable, "connection reset"));
  transport_->once(HttpMethod::kPost, path("/zones/"),
                   reply(403, google_error(403, "rateLimitExceeded", "slow down")));
  transport_->on(HttpMethod::kPost, path("/zones/"),
                 reply(200, operation_json("operation-1", "PENDING")));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  ASSERT_TRUE(operation) << operation.error().message;
  EXPECT_FALSE(operation->error);
  ASSERT_EQ(transport_->requests().size(), 5U);
  for (const auto& request : transport_->requests()) {
    EXPECT_EQ(request.target, path("/zones/us-west1-b/instances?requestId=") + kRequestId);
  }
  ASSERT_EQ(sleeps_.size(), 4U);
  const RetrySchedule schedule;
  for (size_t i = 0; i < sleeps_.size(); ++i) {
    const auto full = std::min(schedule.base_delay * (1 << i), schedule.max_delay);
    EXPECT_GE(sleeps_[i], full / 2) << i;
    EXPECT_LE(sleeps_[i], full) << i;
  }
}

TEST_F(ComputeCallTest, RefusedTokenIsFetchedAgainOnce) {
  tokens_.hand_out({"stale-token", "fresh-token"});
  const std::string unauthenticated = google_error(401, "authError", "Invalid Credentials");
  transport_->once(HttpMethod::kGet, path("/zones/us-west1-b/instances/gpu-1"),
                   reply(401, unauthenticated));
  transport_->on(HttpMethod::kGet, path("/zones/us-west1-b/instances/gpu-1"),
                 reply(200, R"({"name":"gpu-1","status":"RUNNING"})"));
  const auto instance = client_->get_instance("p", "us-west1-b", "gpu-1");
  ASSERT_TRUE(instance) << instance.error().message;
  ASSERT_TRUE(instance->has_value());
  EXPECT_EQ((*instance)->status, "RUNNING");
  ASSERT_EQ(transport_->requests().size(), 2U);
  EXPECT_EQ(transport_->requests()[0].header("Authorization"), "Bearer stale-token");
  EXPECT_EQ(transport_->requests()[1].header("Authorization"), "Bearer fresh-token");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ComputeCallTest, TokenRefusedTwiceIsPermissionDeniedEvenOnInsert) {
  transport_->on(HttpMethod::kPost, path("/zones/"),
                 reply(401, google_error(401, "authError", "Invalid Credentials")));
  const auto operation = client_->insert_instance("p", t4_spec(), kRequestId);
  EXPECT_TRUE(test::fails_with(operation, ErrorCode::kPermissionDenied,
                               "Google refused the access token of the test account",
                               "gcloud auth application-default login"));
  EXPECT_EQ(transport_->requests().size(), 2U);
  EXPECT_EQ(tokens_.calls, 2U);
}

TEST_F(ComputeCallTest, MissingCredentialsStopBeforeAnyRequest) {
  tokens_.fails = true;
  const auto zones = client_->list_zones("p");
  EXPECT_TRUE(test::fails_with(zones, ErrorCode::kPrecondition,
                               "listing the zones of project p: no access token for Compute Engine",
                               "gcloud auth"));
  EXPECT_TRUE(transport_->requests().empty());
}

TEST_F(ComputeCallTest, LostConnectionIsRetriedThenUnavailable) {
  transport_->on(HttpMethod::kGet, path("/regions/"),
                 transport_error(ErrorCode::kUnavailable, "cannot connect"));
  EXPECT_TRUE(test::fails_with(client_->get_region("p", "us-west1"), ErrorCode::kUnavailable,
                               "reading region us-west1 of project p: Compute Engine at "));
  EXPECT_EQ(transport_->requests().size(), 6U);
  transport_->on(HttpMethod::kGet, path("/zones"),
                 transport_error(ErrorCode::kPermissionDenied, "TLS says no"));
  const size_t before = transport_->requests().size();
  EXPECT_FALSE(client_->list_zones("p"));
  EXPECT_EQ(transport_->requests().size(), before + 1) << "only lost connections are retried";
}

TEST_F(ComputeCallTest, CancelledBackOffStopsRetrying) {
  auto fake = std::make_unique<FakeTransport>();
  FakeTransport& transport = *fake;
  transport.on(HttpMethod::kGet, path("/regions/"), reply(503, google_error(503, "x", "y")));
  ComputeClientOptions options;
  options.sleep = [](std::chrono::milliseconds) { return false; };
  ComputeClient client(std::move(fake), tokens_, std::move(options));
  EXPECT_TRUE(test::fails_with(client.get_region("p", "r"), ErrorCode::kCancelled, "cancelled"));
  EXPECT_EQ(transport.requests().size(), 1U);
}

std::string* captured_log = nullptr;

TEST_F(ComputeCallTest, TokensNeverReachTheLog) {
  std::string lines;
  captured_log = &lines;
  const log::Level level = log::level();
  log::set_level(log::Level::kDebug);
  const log::Sink previous = log::set_sink(
      [](log::Level, std::string_view line) { *captured_log += std::string(line) + "\n"; });
  transport_->once(HttpMethod::kGet, path("/regions/"), reply(503, google_error(503, "x", "y")));
  transport_->on(HttpMethod::kGet, path("/regions/"), reply(200, R"({"name":"r"})"));
  EXPECT_TRUE(client_->get_region("p", "r"));
  log::set_sink(previous);
  log::set_level(level);
  captured_log = nullptr;
  EXPECT_NE(lines.find("GET /compute/v1/projects/p/regions/r"), std::string::npos) << lines;
  EXPECT_EQ(lines.find("token-1"), std::string::npos) << lines;
}

TEST(ComputeBackoffTest, DelaysDoubleUpToTheCapAndHonourRetryAfter) {
  const RetrySchedule schedule;
  EXPECT_EQ(backoff_delay(schedule, 1, 0.0), std::chrono::milliseconds(250));
  EXPECT_EQ(backoff_delay(schedule, 1, 1.0), std::chrono::milliseconds(500));
  EXPECT_EQ(backoff_delay(schedule, 3, 1.0), std::chrono::milliseconds(2000));
  EXPECT_EQ(backoff_delay(schedule, 10, 1.0), schedule.max_delay);
  EXPECT_EQ(backoff_delay(schedule, 1, 0.0, "3"), std::chrono::milliseconds(3000));
  EXPECT_EQ(backoff_delay(schedule, 1, 0.0, "3600"), schedule.max_delay);
  EXPECT_EQ(backoff_delay(schedule, 3, 1.0, "1"), std::chrono::milliseconds(2000));
  // The worst case of all tries stays well within half a minute.
  std::chrono::milliseconds total{0};
  for (int attempt = 1; attempt < schedule.max_attempts; ++attempt) {
    total += backoff_delay(schedule, attempt, 1.0);
  }
  EXPECT_LE(total, schedule.total_limit);
}

TEST(ComputeRequestIdTest, RequestIdsAreVersion4Uuids) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = new_request_id();
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50U);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
