// End-to-end: the built binary against the real engine.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/components.hpp"
#include "support/run_binary.hpp"

namespace deepdock::testing {
namespace {

TEST(VersionCommandTest, ReportsTheEngineAndNegotiatedApi) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  const auto run = run_deepdock({"version"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("engine   docker"), std::string::npos) << run.stdout_text;
  EXPECT_NE(run.stdout_text.find(docker_host), std::string::npos) << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("not available to containers"), std::string::npos)
      << "this engine has no NVIDIA runtime: " << run.stdout_text;
}

TEST(VersionCommandTest, JsonOutputIsMachineReadable) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  const auto run = run_deepdock({"version", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto body = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(body["engine"]["endpoint"], docker_host);
  const std::string api = body["engine"]["api_version"];
  EXPECT_GE(std::stod(api), 1.41);
  EXPECT_EQ(body["gpu"]["nvidia_runtime"], false);
}

TEST(VersionCommandTest, UnreachableEngineExitsThreeNamingTheSocketAndTheFix) {
  const auto run = run_deepdock({"version"}, {"DOCKER_HOST=unix:///nonexistent/deepdock.sock"});
  EXPECT_EQ(run.exit_code, 3) << run.stdout_text << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("/nonexistent/deepdock.sock"), std::string::npos)
      << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("hint:"), std::string::npos) << run.stderr_text;
}

TEST(VersionCommandTest, UnreachableEngineJsonErrorOnStdout) {
  const auto run =
      run_deepdock({"version", "--json"}, {"DOCKER_HOST=unix:///nonexistent/deepdock.sock"});
  EXPECT_EQ(run.exit_code, 3);
  const auto body = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(body["error"]["exit_code"], 3);
}

TEST(VersionCommandTest, MalformedDockerHostIsAUsageError) {
  const auto run = run_deepdock({"version"}, {"DOCKER_HOST=bogus://x"});
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("DOCKER_HOST"), std::string::npos) << run.stderr_text;
}

TEST(VersionCommandTest, UnknownCommandIsAUsageError) {
  const auto run = run_deepdock({"frobnicate"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("deepdock --help"), std::string::npos) << run.stderr_text;
}

TEST(VersionCommandTest, BadApiVersionPinIsAUsageError) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  const auto run = run_deepdock({"version"}, {"DOCKER_API_VERSION=latest"});
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("DOCKER_API_VERSION"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::testing
