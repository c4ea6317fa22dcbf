// DockerEngine: image inspect, pull, build, tag, push and remove.
#include <gtest/gtest.h>

#include <fstream>

#include "adapters/docker/archive.hpp"
#include "adapters/docker/dockerfile_bases.hpp"
#include "docker_engine_test_support.hpp"
#include "util/base64.hpp"

namespace deepdock::adapters::docker::test {
namespace {

core::ImageRef image_ref(std::string_view text) {
  return core::ImageRef::parse(text).value();
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(DockerEngineImagesTest, InspectEncodesTheReferenceAndReadsTheImage) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/images/",
                       reply(200, R"({"Id":"sha256:abc","RepoTags":["nvidia/cuda:12.4"],
                         "RepoDigests":[],"Size":123,"Created":"2024-01-01T00:00:00Z",
                         "Config":{"Labels":{"a":"b"}},"Os":"linux","Architecture":"amd64"})"));
  const auto image = engine->inspect_image("nvidia/cuda:12.4");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/images/nvidia%2Fcuda%3A12.4/json");
  EXPECT_EQ(image->id, "sha256:abc");
  EXPECT_EQ(image->repo_tags, (std::vector<std::string>{"nvidia/cuda:12.4"}));
  EXPECT_EQ(image->size_bytes, 123);
  EXPECT_EQ(image->labels.at("a"), "b");
  EXPECT_EQ(image->architecture, "amd64");
}

TEST(DockerEngineImagesTest, InspectOfAMissingImageIsNotFoundNamingIt) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/images/",
                       reply(404, R"({"message":"No such image: nope:1"})"));
  const auto image = engine->inspect_image("nope:1");
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(image.error().message, "inspecting image nope:1: No such image: nope:1");
}

TEST(DockerEngineImagesTest, PullAlwaysSendsATagAndAnonymousAuthAndStreamsProgress) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/images/create",
      reply_chunks(200, {R"({"status":"Pulling from library/ubuntu","id":"22.04"})"
                         "\n"
                         R"({"status":"Downloading","id":"abc","progressDetail":{"curr)",
                         R"(ent":5,"total":10}})"
                         "\n"
                         R"({"status":"Status: Downloaded newer image for ubuntu:22.04"})"
                         "\n"}));
  std::vector<core::ProgressEvent> events;
  const auto pulled =
      engine->pull_image(image_ref("ubuntu:22.04"), [&](const auto& e) { events.push_back(e); });
  ASSERT_TRUE(pulled) << pulled.error().message;
  const auto* request = engine.transport->last("/v1.41/images/create");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->target, "/v1.41/images/create?fromImage=ubuntu&tag=22.04");
  EXPECT_EQ(request->header("X-Registry-Auth"), "e30=");
  EXPECT_EQ(request->timeout.count(), 0);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[1].id, "abc");
  EXPECT_EQ(events[1].current, 5);
  EXPECT_EQ(events[1].total, 10);
}

TEST(DockerEngineImagesTest, PullByDigestSendsTheDigestAsTag) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/images/create", reply(200, "{}\n"));
  const std::string digest = "sha256:" + std::string(64, 'a');
  ASSERT_TRUE(engine->pull_image(image_ref("127.0.0.1:5000/envs/x@" + digest), {}));
  EXPECT_EQ(engine.transport->requests().back().target,
            "/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fenvs%2Fx&tag=sha256%3A" +
                std::string(64, 'a'));
}

TEST(DockerEngineImagesTest, PullHttpErrorIsMappedFromTheJsonBody) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/images/create",
      reply(
          404,
          R"({"message":"pull access denied for nope, repository does not exist or may require 'docker login'"})"));
  const auto pulled = engine->pull_image(image_ref("nope"), {});
  ASSERT_FALSE(pulled);
  EXPECT_EQ(pulled.error().code, ErrorCode::kNotFound);
  EXPECT_NE(pulled.error().message.find("pulling image nope:latest: pull access denied"),
            std::string::npos);
  EXPECT_NE(pulled.error().hint.find("docker login"), std::string::npos);
}

TEST(DockerEngineImagesTest, PullInStreamErrorAfter200IsAnError) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/images/create",
      reply(
          200,
          R"({"status":"Pulling fs layer","id":"abc"})"
          "\n"
          R"({"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"})"
          "\n"));
  const auto pulled = engine->pull_image(image_ref("127.0.0.1:5000/private/x:1"), {});
  ASSERT_FALSE(pulled);
  EXPECT_EQ(pulled.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(pulled.error().message.find("pulling image 127.0.0.1:5000/private/x:1"),
            std::string::npos);
  EXPECT_NE(pulled.error().message.find("unauthorized"), std::string::npos);
}

TEST(DockerEngineImagesTest, PullSendsStoredCredentialsForTheRegistry) {
  TempDir config;
  write_file(config.path() / "config.json",
             R"({"auths":{"127.0.0.1:5000":{"auth":"dXNlcjpzM2NyZXQ="}}})");  // user:s3cret
  DockerEngineOptions options;
  options.docker_config_dir = config.path();
  EngineFixture engine("1.41", false, options);
  engine.transport->on(HttpMethod::kPost, "/v1.41/images/create", reply(200, "{}\n"));
  ASSERT_TRUE(engine->pull_image(image_ref("127.0.0.1:5000/envs/x:1"), {}));
  const auto header = engine.transport->requests().back().header("X-Registry-Auth");
  const auto decoded = nlohmann::json::parse(util::base64_decode(header).value());
  EXPECT_EQ(decoded.value("username", ""), "user");
  EXPECT_EQ(decoded.value("password", ""), "s3cret");
}

TEST(DockerEngineImagesTest, PushSendsTagAndAuthAndChecksInStreamErrors) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/images/",
      reply(
          200,
          R"({"status":"The push refers to repository [127.0.0.1:5000/envs/x]"})"
          "\n"
          R"({"errorDetail":{"message":"Get http://127.0.0.1:5000/v2/: dial tcp 127.0.0.1:5000: connect: connection refused"}})"
          "\n"));
  const auto pushed = engine->push_image(image_ref("127.0.0.1:5000/envs/x:1"), {});
  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target, "/v1.41/images/127.0.0.1%3A5000%2Fenvs%2Fx/push?tag=1");
  EXPECT_EQ(request.header("X-Registry-Auth"), "e30=");
  EXPECT_EQ(request.timeout.count(), 0);
  ASSERT_FALSE(pushed);
  EXPECT_EQ(pushed.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(pushed.error().message.find("pushing image 127.0.0.1:5000/envs/x:1"),
            std::string::npos);
}

TEST(DockerEngineImagesTest, PushOfAMissingImageIsNotFound) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/images/",
      reply(404, R"({"message":"An image does not exist locally with the tag: x"})"));
  const auto pushed = engine->push_image(image_ref("x:1"), {});
  ASSERT_FALSE(pushed);
  EXPECT_EQ(pushed.error().code, ErrorCode::kNotFound);
}

TEST(DockerEngineImagesTest, TagPostsRepoAndTag) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/images/", reply(201));
  ASSERT_TRUE(engine->tag_image("sha256:abc", image_ref("127.0.0.1:5000/envs/x:2")));
  EXPECT_EQ(engine.transport->requests().back().target,
            "/v1.41/images/sha256%3Aabc/tag?repo=127.0.0.1%3A5000%2Fenvs%2Fx&tag=2");
}

TEST(DockerEngineImagesTest, RemoveMapsNotFoundAndConflict) {
  EngineFixture engine;
  engine.transport->once(HttpMethod::kDelete, "/v1.41/images/", reply(200, "[]"));
  engine.transport->once(HttpMethod::kDelete, "/v1.41/images/",
                         reply(404, R"({"message":"No such image: x:1"})"));
  engine.transport->once(
      HttpMethod::kDelete, "/v1.41/images/",
      reply(
          409,
          R"({"message":"conflict: unable to remove repository reference \"x:1\" (must force) - container abc is using its referenced image"})"));
  ASSERT_TRUE(engine->remove_image("x:1", true));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/images/x%3A1?force=1");
  const auto missing = engine->remove_image("x:1", false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/images/x%3A1?force=0");
  const auto in_use = engine->remove_image("x:1", false);
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, ErrorCode::kConflict);
  EXPECT_NE(in_use.error().message.find("removing image x:1"), std::string::npos);
}

class DockerEngineBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(context_.path() / "Dockerfile", "FROM deepdock-test/base\nRUN echo hi\n");
    write_file(context_.path() / "app.py", "print('x')\n");
    write_file(context_.path() / "secret.txt", "nope\n");
    write_file(context_.path() / ".dockerignore", "secret.txt\n");
    request_.context_dir = context_.path();
    request_.tags = {"deepdock/x:1", "deepdock/x:latest"};
    request_.build_args = {{"CUDA", "12.4"}};
    request_.labels = {{"deepdock.managed", "true"}};
    request_.network_mode = "host";
  }

  TempDir context_;
  core::BuildRequest request_;
};

TEST_F(DockerEngineBuildTest, SendsQueryAndTarBodyAndReturnsTheAuxId) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/build",
                       reply_chunks(200, {R"({"stream":"Step 1/2 : FROM deepdock-test/base\n"})"
                                          "\n"
                                          R"({"aux":{"ID":"sha256:)",
                                          R"(feed"}})"
                                          "\n"
                                          R"({"stream":"Successfully built feed\n"})"
                                          "\n"}));
  std::string output;
  const auto id =
      engine->build_image(request_, [&](const core::ProgressEvent& e) { output += e.stream; });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "sha256:feed");
  EXPECT_NE(output.find("Step 1/2"), std::string::npos);

  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target,
            "/v1.41/build?t=deepdock%2Fx%3A1&t=deepdock%2Fx%3Alatest&dockerfile=Dockerfile"
            "&buildargs=%7B%22CUDA%22%3A%2212.4%22%7D"
            "&labels=%7B%22deepdock.managed%22%3A%22true%22%7D&rm=1&forcerm=1"
            "&networkmode=host&version=1");
  EXPECT_EQ(request.header("Content-Type"), "application/x-tar");
  EXPECT_TRUE(request.header("X-Registry-Config").empty());  // no credentials for the base
  EXPECT_EQ(request.timeout.count(), 0);

  TempDir unpacked;
  ASSERT_TRUE(untar_to(request.body, unpacked.path()));
  EXPECT_EQ(read_file(unpacked.path() / "Dockerfile"), "FROM deepdock-test/base\nRUN echo hi\n");
  EXPECT_EQ(read_file(unpacked.path() / "app.py"), "print('x')\n");
  EXPECT_FALSE(std::filesystem::exists(unpacked.path() / "secret.txt"));
}

TEST_F(DockerEngineBuildTest, PullAndNoCacheAreSentOnlyWhenSet) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/build",
                       reply(200, R"({"aux":{"ID":"sha256:1"}})"
                                  "\n"));
  request_.pull = true;
  request_.no_cache = true;
  ASSERT_TRUE(engine->build_image(request_, {}));
  const auto& target = engine.transport->requests().back().target;
  EXPECT_NE(target.find("&pull=1"), std::string::npos);
  EXPECT_NE(target.find("&nocache=1"), std::string::npos);
}

TEST_F(DockerEngineBuildTest, WithoutAuxIdTheFirstTagIsInspected) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/build",
                       reply(200, R"({"stream":"Successfully tagged deepdock/x:1\n"})"
                                  "\n"));
  engine.transport->on(HttpMethod::kGet, "/v1.41/images/deepdock%2Fx%3A1/json",
                       reply(200, R"({"Id":"sha256:viainspect"})"));
  const auto id = engine->build_image(request_, {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "sha256:viainspect");
}

TEST_F(DockerEngineBuildTest, FailingStepIsAnErrorNamingTheImage) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/build",
      reply(
          200,
          R"({"stream":"Step 2/2 : RUN false\n"})"
          "\n"
          R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"})"
          "\n"));
  const auto id = engine->build_image(request_, {});
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kFailure);
  EXPECT_NE(id.error().message.find("building image deepdock/x:1"), std::string::npos);
  EXPECT_NE(id.error().message.find("returned a non-zero code: 1"), std::string::npos);
}

TEST_F(DockerEngineBuildTest, CredentialsForBaseImageRegistriesGoInXRegistryConfig) {
  TempDir config;
  write_file(config.path() / "config.json",
             R"({"auths":{"registry.example.com":{"auth":"dXNlcjpzM2NyZXQ="}}})");
  DockerEngineOptions options;
  options.docker_config_dir = config.path();
  EngineFixture engine("1.41", false, options);
  engine.transport->on(HttpMethod::kPost, "/v1.41/build",
                       reply(200, R"({"aux":{"ID":"sha256:1"}})"
                                  "\n"));
  request_.extra_files["Dockerfile"] =
      "FROM registry.example.com/base/img:1 AS build\nFROM build\n";
  ASSERT_TRUE(engine->build_image(request_, {}));
  const auto header = engine.transport->requests().back().header("X-Registry-Config");
  ASSERT_FALSE(header.empty());
  const auto decoded = nlohmann::json::parse(util::base64_decode(header).value());
  ASSERT_TRUE(decoded.contains("registry.example.com")) << decoded.dump();
  EXPECT_EQ(decoded["registry.example.com"].value("username", ""), "user");
}

TEST(DockerfileBaseImagesTest, FindsImagesSkippingStagesScratchAndArgs) {
  const auto bases = dockerfile_base_images(
      "# syntax\nFROM --platform=linux/amd64 nvidia/cuda:12.4.1-base AS builder\n"
      "from builder\nFROM scratch\nFROM ${BASE}\nFROM 127.0.0.1:5000/envs/x:1 as final\n"
      "FROM nvidia/cuda:12.4.1-base\n");
  ASSERT_EQ(bases.size(), 2U);
  EXPECT_EQ(bases[0].str(), "nvidia/cuda:12.4.1-base");
  EXPECT_EQ(bases[1].str(), "127.0.0.1:5000/envs/x:1");
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
