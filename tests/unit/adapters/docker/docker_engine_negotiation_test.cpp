// DockerEngine: connecting, API version negotiation and info().
#include <gtest/gtest.h>

#include "docker_engine_test_support.hpp"

namespace deepdock::adapters::docker::test {
namespace {

constexpr std::string_view kVersionBody = R"({"Version":"20.10.24+dfsg1","ApiVersion":"1.41",
  "MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0-18-amd64",
  "Components":[{"Name":"Engine","Version":"20.10.24+dfsg1"}]})";
constexpr std::string_view kInfoBody = R"({"Runtimes":{"runc":{"path":"runc"},
  "nvidia":{"path":"nvidia-container-runtime"}},"DefaultRuntime":"runc","CgroupDriver":"systemd",
  "Driver":"overlay2","DockerRootDir":"/var/lib/docker","CDISpecDirs":["/etc/cdi","/var/run/cdi"]})";

std::unique_ptr<DockerEngine> engine_over(std::unique_ptr<FakeTransport> fake,
                                          DockerEngineOptions options = {}) {
  options.endpoint_display = "unix:///fake/docker.sock";
  options.docker_config_dir = "/nonexistent";
  return std::make_unique<DockerEngine>(std::move(fake), std::move(options));
}

void answer_info(FakeTransport& transport) {
  transport.on(HttpMethod::kGet, "/v1.", reply(200, "{}"));
}

TEST(DockerEngineNegotiationTest, Server141IsSpokenAsIsAndInfoReadsVersionAndInfo) {
  EngineFixture engine("1.41");
  engine.transport->on(HttpMethod::kGet, "/v1.41/version", reply(200, std::string(kVersionBody)));
  engine.transport->on(HttpMethod::kGet, "/v1.41/info", reply(200, std::string(kInfoBody)));

  const auto info = engine->info();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->api_version, (core::ApiVersion{1, 41}));
  EXPECT_EQ(info->server_api_version, (core::ApiVersion{1, 41}));
  EXPECT_EQ(info->server_min_api_version, (core::ApiVersion{1, 12}));
  EXPECT_EQ(info->version, "20.10.24+dfsg1");
  EXPECT_EQ(info->endpoint, "unix:///fake/docker.sock");
  EXPECT_EQ(info->os, "linux");
  EXPECT_EQ(info->arch, "amd64");
  EXPECT_EQ(info->kernel, "6.1.0-18-amd64");
  EXPECT_FALSE(info->is_podman);
  EXPECT_EQ(info->runtimes, (std::vector<std::string>{"nvidia", "runc"}));
  EXPECT_EQ(info->default_runtime, "runc");
  EXPECT_EQ(info->cgroup_driver, "systemd");
  EXPECT_EQ(info->storage_driver, "overlay2");
  EXPECT_EQ(info->docker_root_dir, "/var/lib/docker");
  EXPECT_EQ(info->cdi_spec_dirs, (std::vector<std::string>{"/etc/cdi", "/var/run/cdi"}));

  const auto& requests = engine.transport->requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].method, HttpMethod::kHead);
  EXPECT_EQ(requests[0].target, "/_ping");
  EXPECT_EQ(requests[1].target, "/v1.41/version");
  EXPECT_EQ(requests[2].target, "/v1.41/info");
}

TEST(DockerEngineNegotiationTest, NewerServerIsSpokenToAtOurMaximum) {
  EngineFixture engine("1.50");
  answer_info(*engine.transport);
  const auto info = engine->info();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->api_version, DockerEngine::kMaxApi);
  EXPECT_EQ(info->server_api_version, (core::ApiVersion{1, 50}));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.47/info");
}

TEST(DockerEngineNegotiationTest, OldServerIsAPreconditionWithUpgradeHint) {
  EngineFixture engine("1.24");
  const auto info = engine->info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kPrecondition);
  EXPECT_EQ(info.error().message,
            "Docker engine at unix:///fake/docker.sock speaks API 1.24, deepdock needs 1.41 "
            "(Docker 20.10) or newer");
  EXPECT_NE(info.error().hint.find("upgrade"), std::string::npos);
  EXPECT_EQ(engine.transport->requests().size(), 1U);  // nothing sent after the ping
}

TEST(DockerEngineNegotiationTest, MissingApiVersionHeaderMeans124) {
  auto fake = std::make_unique<FakeTransport>();
  fake->on(HttpMethod::kHead, "/_ping", reply(200));
  const auto engine = engine_over(std::move(fake));
  const auto result = engine->inspect_image("ubuntu");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(result.error().message.find("speaks API 1.24"), std::string::npos);
}

TEST(DockerEngineNegotiationTest, PodmanIsRecognisedByItsLibpodHeader) {
  EngineFixture engine("1.41", /*podman=*/true);
  answer_info(*engine.transport);
  const auto info = engine->info();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_TRUE(info->is_podman);
}

TEST(DockerEngineNegotiationTest, HeadFailureFallsBackToGetPing) {
  auto fake = std::make_unique<FakeTransport>();
  FakeTransport* transport = fake.get();
  fake->on(HttpMethod::kHead, "/_ping", reply(405));
  fake->on(HttpMethod::kGet, "/_ping", reply(200, "OK", {{"Api-Version", "1.43"}}));
  answer_info(*fake);
  const auto engine = engine_over(std::move(fake));
  const auto info = engine->info();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->api_version, (core::ApiVersion{1, 43}));
  EXPECT_EQ(transport->requests()[1].method, HttpMethod::kGet);
  EXPECT_EQ(transport->requests()[1].target, "/_ping");
}

TEST(DockerEngineNegotiationTest, NegotiatesOnceAndCaches) {
  EngineFixture engine("1.45");
  engine.transport->on(HttpMethod::kGet, "/v1.45/images/", reply(200, R"({"Id":"sha256:a"})"));
  ASSERT_TRUE(engine->inspect_image("a"));
  ASSERT_TRUE(engine->inspect_image("b"));
  int pings = 0;
  for (const auto& request : engine.transport->requests()) {
    pings += request.target == "/_ping" ? 1 : 0;
  }
  EXPECT_EQ(pings, 1);
}

TEST(DockerEngineNegotiationTest, PinnedVersionIsUsedAsGiven) {
  DockerEngineOptions options;
  options.pinned_api = core::ApiVersion{1, 43};
  EngineFixture engine("1.45", false, options);
  answer_info(*engine.transport);
  ASSERT_TRUE(engine->info());
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.43/info");
}

TEST(DockerEngineNegotiationTest, PinnedVersionOlderThanOurMinimumIsInvalidInput) {
  DockerEngineOptions options;
  options.pinned_api = core::ApiVersion{1, 30};
  EngineFixture engine("1.45", false, options);
  const auto info = engine->info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(info.error().message.find("DOCKER_API_VERSION=1.30"), std::string::npos);
}

TEST(DockerEngineNegotiationTest, UnreachableEngineIsAPreconditionNamingTheEndpoint) {
  auto fake = std::make_unique<FakeTransport>();
  fake->on(HttpMethod::kHead, "/_ping",
           testing::transport_error(ErrorCode::kUnavailable, "connect: no such file or directory"));
  const auto engine = engine_over(std::move(fake));
  const auto result = engine->start_container("abc");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(
      result.error().message.find("cannot reach the Docker engine at unix:///fake/docker.sock"),
      std::string::npos);
  EXPECT_NE(result.error().message.find("starting container abc"), std::string::npos);
  EXPECT_NE(result.error().hint.find("sudo systemctl start docker"), std::string::npos);
  EXPECT_NE(result.error().hint.find("DOCKER_HOST"), std::string::npos);
}

TEST(DockerEngineNegotiationTest, SocketPermissionDeniedSaysHowToJoinTheDockerGroup) {
  auto fake = std::make_unique<FakeTransport>();
  fake->on(HttpMethod::kHead, "/_ping",
           testing::transport_error(ErrorCode::kPermissionDenied, "connect: permission denied"));
  const auto engine = engine_over(std::move(fake));
  const auto result = engine->info();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(result.error().message.find("unix:///fake/docker.sock"), std::string::npos);
  EXPECT_NE(result.error().hint.find("sudo usermod -aG docker $USER"), std::string::npos);
  EXPECT_NE(result.error().hint.find("sudo"), std::string::npos);
}

TEST(DockerEngineNegotiationTest, ClientVersionRefusedByTheEngineIsAPrecondition) {
  DockerEngineOptions options;
  options.pinned_api = core::ApiVersion{1, 47};
  EngineFixture engine("1.41", false, options);
  engine.transport->on(
      HttpMethod::kGet, "/v1.47/version",
      reply(
          400,
          R"({"message":"client version 1.47 is too new. Maximum supported API version is 1.41"})"));
  const auto info = engine->info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(info.error().message.find("too new"), std::string::npos);
  EXPECT_NE(info.error().hint.find("DOCKER_API_VERSION"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
