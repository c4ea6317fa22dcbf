#include "adapters/gcp/compute_endpoint.hpp"

#include <gtest/gtest.h>

#include "adapters/gcp/compute_client.hpp"
#include "unit/adapters/gcp/compute_test_support.hpp"
#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using namespace compute_test;  // NOLINT(google-build-using-namespace)
using core::HttpMethod;
using testing::reply;

TEST(ComputeEndpointTest, DefaultIsGoogleAndOverridesComeFromGcloud) {
  const test::ScratchDir dir;
  test::FakeTransports transports;
  const std::string config = (dir.path() / "gcloud").string();
  const auto fallback =
      compute_endpoint(test::test_context(transports, {{"CLOUDSDK_CONFIG", config}}));
  ASSERT_TRUE(fallback) << fallback.error().message;
  EXPECT_EQ(fallback->base, "https://compute.googleapis.com");
  EXPECT_EQ(fallback->path_prefix, "/compute/v1/");

  dir.write("gcloud/configurations/config_default",
            "[api_endpoint_overrides]\ncompute = http://127.0.0.1:8089/compute/v1/\n");
  const auto from_file =
      compute_endpoint(test::test_context(transports, {{"CLOUDSDK_CONFIG", config}}));
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_EQ(from_file->base, "http://127.0.0.1:8089");
  EXPECT_EQ(from_file->path_prefix, "/compute/v1/");
  EXPECT_NE(from_file->origin.find("config_default"), std::string::npos);

  const auto from_env = compute_endpoint(test::test_context(
      transports, {{"CLOUDSDK_CONFIG", config},
                   {"CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE", "http://localhost:9/c/v1"}}));
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->base, "http://localhost:9");
  EXPECT_EQ(from_env->path_prefix, "/c/v1/");
  EXPECT_EQ(from_env->origin, "CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE");

  EXPECT_TRUE(test::fails_with(
      compute_endpoint(test::test_context(
          transports, {{"CLOUDSDK_CONFIG", config},
                       {"CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE", "http://198.51.100.7/c/"}})),
      ErrorCode::kInvalidInput, "the Compute Engine endpoint", "use https"));
}

TEST(ComputeEndpointTest, MadeClientUsesTheOverriddenEndpoint) {
  const test::ScratchDir dir;
  test::FakeTransports transports;
  transports.at("http://127.0.0.1:8089")
      .on(HttpMethod::kGet, "/emu/compute/v1/projects/p/zones",
          reply(200, R"({"items":[{"name":"us-west1-b"}]})"));
  FakeTokens tokens({"token-1"});
  const AuthContext context = test::test_context(
      transports,
      {{"CLOUDSDK_CONFIG", (dir.path() / "gcloud").string()},
       {"CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE", "http://127.0.0.1:8089/emu/compute/v1/"}});
  auto client = make_compute_client(context, tokens, "");
  ASSERT_TRUE(client) << client.error().message;
  const auto zones = (*client)->list_zones("p");
  ASSERT_TRUE(zones) << zones.error().message;
  EXPECT_EQ(zones->at(0).name, "us-west1-b");
  EXPECT_EQ(transports.connected(), std::vector<std::string>{"http://127.0.0.1:8089"});
  EXPECT_EQ(transports.at("http://127.0.0.1:8089").requests()[0].header("x-goog-user-project"), "");
}

}  // namespace
}  // namespace deepdock::adapters::gcp
