// DockerEngine: exec, logs and archives in and out of containers.
#include <gtest/gtest.h>

#include <fstream>

#include "adapters/docker/archive.hpp"
#include "docker_engine_test_support.hpp"

namespace deepdock::adapters::docker::test {
namespace {

using nlohmann::json;
using namespace std::string_literals;

struct Collected {
  std::string out;
  std::string err;
  core::OutputFn fn() {
    return [this](core::StreamKind kind, std::string_view data) {
      (kind == core::StreamKind::kStderr ? err : out).append(data);
    };
  }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(DockerEngineExecTest, SeparatesStreamsAcrossSplitFramesAndReturnsTheExitCode) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/exec",
                       reply(201, R"({"Id":"ex1"})"));
  const std::string stream = frame(1, "out line\n") + frame(2, "err line\n") + frame(1, "more");
  // Split inside a header and inside a payload.
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/exec/ex1/start",
      reply_chunks(200, {stream.substr(0, 3), stream.substr(3, 12), stream.substr(15)},
                   {{"Content-Type", "application/vnd.docker.raw-stream"}}));
  engine.transport->once(HttpMethod::kGet, "/v1.41/exec/ex1/json",
                         reply(200, R"({"Running":true,"ExitCode":null})"));
  engine.transport->on(HttpMethod::kGet, "/v1.41/exec/ex1/json",
                       reply(200, R"({"Running":false,"ExitCode":7})"));

  Collected live;
  core::ExecSpec spec{.cmd = {"sh", "-c", "echo out; echo err >&2; exit 7"},
                      .env = {"K=V"},
                      .working_dir = "/w",
                      .user = "root"};
  const auto result = engine->exec("abc", spec, live.fn());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exit_code, 7);
  EXPECT_EQ(result->stdout_text, "out line\nmore");
  EXPECT_EQ(result->stderr_text, "err line\n");
  EXPECT_EQ(live.out, "out line\nmore");
  EXPECT_EQ(live.err, "err line\n");

  const auto* create = engine.transport->last("/v1.41/containers/abc/exec");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(body_json(*create),
            json::parse(R"({"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,
                "Tty":false,"Cmd":["sh","-c","echo out; echo err >&2; exit 7"],"Env":["K=V"],
                "WorkingDir":"/w","User":"root"})"));
  const auto* start = engine.transport->last("/v1.41/exec/ex1/start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(body_json(*start), json::parse(R"({"Detach":false,"Tty":false})"));
  EXPECT_EQ(start->timeout.count(), 0);
}

TEST(DockerEngineExecTest, ExecInAStoppedContainerIsAConflictNamingIt) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/exec",
                       reply(409, R"({"message":"Container abc is not running"})"));
  const auto result = engine->exec("abc", {.cmd = {"true"}}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  EXPECT_NE(result.error().message.find("running `true` in container abc"), std::string::npos);
}

TEST(DockerEngineExecTest, StartErrorBodyIsMappedNotDecodedAsFrames) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/exec",
                       reply(201, R"({"Id":"ex1"})"));
  engine.transport->on(HttpMethod::kPost, "/v1.41/exec/ex1/start",
                       reply(404, R"({"message":"No such exec instance: ex1"})"));
  const auto result = engine->exec("abc", {.cmd = {"true"}}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_NE(result.error().message.find("No such exec instance"), std::string::npos);
}

TEST(DockerEngineLogsTest, MultiplexedContentTypeIsDemultiplexed) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/logs",
                       reply(200, frame(1, "a\n") + frame(2, "b\n"),
                             {{"Content-Type", "application/vnd.docker.multiplexed-stream"}}));
  Collected logs;
  ASSERT_TRUE(engine->container_logs("abc", {.tail = "100"}, logs.fn()));
  EXPECT_EQ(logs.out, "a\n");
  EXPECT_EQ(logs.err, "b\n");
  EXPECT_EQ(engine.transport->requests().back().target,
            "/v1.41/containers/abc/logs?stdout=1&stderr=1&follow=0&tail=100&timestamps=0");
}

TEST(DockerEngineLogsTest, RawContentTypeIsPassedThroughAsStdout) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/logs",
                       reply(200, "\x01\x00 raw tty bytes\r\n"s,
                             {{"Content-Type", "application/vnd.docker.raw-stream"}}));
  Collected logs;
  ASSERT_TRUE(engine->container_logs("abc", {}, logs.fn()));
  EXPECT_EQ(logs.out, "\x01\x00 raw tty bytes\r\n"s);
  EXPECT_TRUE(logs.err.empty());
}

TEST(DockerEngineLogsTest, WithoutContentTypeTheContainersTtyDecides) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/logs",
                       reply(200, frame(2, "framed\n")));
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/json",
                       reply(200, R"({"Id":"abc","Config":{"Tty":false}})"));
  Collected logs;
  ASSERT_TRUE(engine->container_logs("abc", {}, logs.fn()));
  EXPECT_EQ(logs.err, "framed\n");
}

TEST(DockerEngineLogsTest, FollowStreamsWithTheDecoderTheTtyPicks) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/json",
                       reply(200, R"({"Id":"abc","Config":{"Tty":true}})"));
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/logs",
                       reply_chunks(200, {"line 1\n", "line 2\n"}));
  Collected logs;
  ASSERT_TRUE(engine->container_logs("abc", {.follow = true, .timestamps = true}, logs.fn()));
  EXPECT_EQ(logs.out, "line 1\nline 2\n");
  const auto* request = engine.transport->last("/v1.41/containers/abc/logs");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->target,
            "/v1.41/containers/abc/logs?stdout=1&stderr=1&follow=1&tail=all&timestamps=1");
  EXPECT_EQ(request->timeout.count(), 0);
}

TEST(DockerEngineLogsTest, MissingContainerIsNotFound) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/gone/logs",
                       reply(404, R"({"message":"No such container: gone"})"));
  const auto logs = engine->container_logs("gone", {}, {});
  ASSERT_FALSE(logs);
  EXPECT_EQ(logs.error().code, ErrorCode::kNotFound);
}

TEST(DockerEngineArchiveTest, PutFileSendsATarOfTheFileToItsDirectory) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPut, "/v1.41/containers/abc/archive", reply(200));
  ASSERT_TRUE(engine->put_file("abc", "/opt/deep dock/probe.sh", "#!/bin/sh\necho hi\n", 0755));
  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target, "/v1.41/containers/abc/archive?path=%2Fopt%2Fdeep%20dock");
  EXPECT_EQ(request.header("Content-Type"), "application/x-tar");
  TempDir unpacked;
  ASSERT_TRUE(untar_to(request.body, unpacked.path()));
  EXPECT_EQ(read_file(unpacked.path() / "probe.sh"), "#!/bin/sh\necho hi\n");
  const auto perms = std::filesystem::status(unpacked.path() / "probe.sh").permissions();
  EXPECT_NE(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);
}

TEST(DockerEngineArchiveTest, PutFileNeedsAnAbsoluteFilePath) {
  EngineFixture engine;
  EXPECT_EQ(engine->put_file("abc", "relative.txt", "x", 0644).error().code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(engine->put_file("abc", "/dir/", "x", 0644).error().code, ErrorCode::kInvalidInput);
}

TEST(DockerEngineArchiveTest, CopyToContainerSendsTheHostPathAsTar) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPut, "/v1.41/containers/abc/archive", reply(200));
  TempDir host;
  std::ofstream(host.path() / "data.txt") << "payload";
  ASSERT_TRUE(engine->copy_to_container("abc", host.path() / "data.txt", "/work"));
  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target, "/v1.41/containers/abc/archive?path=%2Fwork");
  TempDir unpacked;
  ASSERT_TRUE(untar_to(request.body, unpacked.path()));
  EXPECT_EQ(read_file(unpacked.path() / "data.txt"), "payload");
}

TEST(DockerEngineArchiveTest, MissingTargetDirectoryIsNotFoundNamingPathAndContainer) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPut, "/v1.41/containers/abc/archive",
      reply(404, R"({"message":"Could not find the file /nope in container abc"})"));
  const auto put = engine->put_file("abc", "/nope/x", "x", 0644);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kNotFound);
  EXPECT_NE(put.error().message.find("/nope/x"), std::string::npos);
  EXPECT_NE(put.error().message.find("container abc"), std::string::npos);
}

TEST(DockerEngineArchiveTest, CopyFromContainerUnpacksTheArchive) {
  const auto tar = tar_single_file("result.json", R"({"ok":true})", 0644);
  ASSERT_TRUE(tar);
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/archive", reply(200, *tar));
  TempDir host;
  ASSERT_TRUE(engine->copy_from_container("abc", "/tmp/result.json", host.path()));
  EXPECT_EQ(engine.transport->requests().back().target,
            "/v1.41/containers/abc/archive?path=%2Ftmp%2Fresult.json");
  EXPECT_EQ(read_file(host.path() / "result.json"), R"({"ok":true})");
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
