// DockerEngine: the container lifecycle and the create body, GPUs included.
#include <gtest/gtest.h>

#include "docker_engine_test_support.hpp"

namespace deepdock::adapters::docker::test {
namespace {

using nlohmann::json;

core::ContainerSpec full_spec() {
  core::ContainerSpec spec;
  spec.name = "bert-score";
  spec.image = "deepdock/bert-score:1";
  spec.cmd = {"jupyter", "lab"};
  spec.entrypoint = std::vector<std::string>{"/usr/bin/tini", "--"};
  spec.env = {"A=1"};
  spec.labels = {{"deepdock.managed", "true"}, {"deepdock.env", "bert-score"}};
  spec.working_dir = "/workspace";
  spec.user = "1000:1000";
  spec.tty = true;
  spec.network_mode = "bridge";
  spec.ports = {{.container_port = 8888, .host_port = 8890},
                {.container_port = 6006, .protocol = "tcp", .host_ip = "", .host_port = 0}};
  spec.mounts = {
      {.type = core::Mount::Type::kBind, .source = "/home/u/work", .target = "/workspace"},
      {.type = core::Mount::Type::kVolume,
       .source = "cache",
       .target = "/root/.cache",
       .read_only = true},
      {.type = core::Mount::Type::kTmpfs, .target = "/tmp"}};
  spec.shm_size_bytes = 8589934592;
  spec.ulimits = {{"memlock", -1, -1}, {"stack", 67108864, 67108864}};
  spec.restart_policy = "unless-stopped";
  spec.init = true;
  return spec;
}

json create_body_for(const core::ContainerSpec& spec, bool podman = false) {
  EngineFixture engine("1.41", podman);
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/create",
                       reply(201, R"({"Id":"c0ffee","Warnings":[]})"));
  const auto id = engine->create_container(spec);
  EXPECT_TRUE(id) << id.error().message;
  return body_json(engine.transport->requests().back());
}

TEST(DockerEngineContainersTest, CreateSendsTheWholeSpec) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/create",
                       reply(201, R"({"Id":"c0ffee","Warnings":[]})"));
  const auto id = engine->create_container(full_spec());
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "c0ffee");
  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target, "/v1.41/containers/create?name=bert-score");
  EXPECT_EQ(request.header("Content-Type"), "application/json");
  const json expected = json::parse(R"({
    "Image": "deepdock/bert-score:1",
    "Cmd": ["jupyter", "lab"],
    "Entrypoint": ["/usr/bin/tini", "--"],
    "Env": ["A=1"],
    "Labels": {"deepdock.env": "bert-score", "deepdock.managed": "true"},
    "WorkingDir": "/workspace",
    "User": "1000:1000",
    "Tty": true,
    "ExposedPorts": {"8888/tcp": {}, "6006/tcp": {}},
    "HostConfig": {
      "PortBindings": {"8888/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8890"}],
                       "6006/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]},
      "Mounts": [{"Type": "bind", "Source": "/home/u/work", "Target": "/workspace", "ReadOnly": false},
                 {"Type": "volume", "Source": "cache", "Target": "/root/.cache", "ReadOnly": true},
                 {"Type": "tmpfs", "Target": "/tmp", "ReadOnly": false}],
      "ShmSize": 8589934592,
      "Ulimits": [{"Name": "memlock", "Soft": -1, "Hard": -1},
                  {"Name": "stack", "Soft": 67108864, "Hard": 67108864}],
      "NetworkMode": "bridge",
      "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
      "Init": true
    }})");
  EXPECT_EQ(body_json(request), expected) << body_json(request).dump(2);
}

TEST(DockerEngineContainersTest, MinimalSpecLeavesEngineDefaults) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  const auto body = create_body_for(spec);
  EXPECT_EQ(body, json::parse(R"({"Image":"x:1","Tty":false,"Labels":{},"HostConfig":{}})"))
      << body.dump();
}

TEST(DockerEngineContainersTest, EmptyEntrypointResetsTheImages) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.entrypoint = std::vector<std::string>{};
  EXPECT_EQ(create_body_for(spec)["Entrypoint"], json::array({""}));
}

TEST(DockerEngineContainersTest, NvidiaDriverGpusAreTheDockerCliGpusAllRequest) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.gpus.mode = core::GpuRequest::Mode::kNvidiaDriver;
  const auto body = create_body_for(spec);
  EXPECT_EQ(body["HostConfig"]["DeviceRequests"],
            json::parse(R"([{"Driver":"","Count":-1,"DeviceIDs":null,
                             "Capabilities":[["gpu"]],"Options":{}}])"));
  EXPECT_FALSE(body["HostConfig"].contains("Devices"));
}

TEST(DockerEngineContainersTest, NvidiaDriverDeviceIdsExcludeCountAndKeepGpuCapability) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.gpus = {.mode = core::GpuRequest::Mode::kNvidiaDriver,
               .count = 2,
               .device_ids = {"0", "GPU-abc"},
               .capabilities = {"compute", "utility"}};
  EXPECT_EQ(create_body_for(spec)["HostConfig"]["DeviceRequests"],
            json::parse(R"([{"Driver":"","Count":0,"DeviceIDs":["0","GPU-abc"],
                             "Capabilities":[["compute","utility","gpu"]],"Options":{}}])"));
  spec.gpus.device_ids.clear();
  EXPECT_EQ(create_body_for(spec)["HostConfig"]["DeviceRequests"][0]["Count"], 2);
}

TEST(DockerEngineContainersTest, CdiGpusAreOneCdiDeviceRequest) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.gpus.mode = core::GpuRequest::Mode::kCdi;
  const auto body = create_body_for(spec);
  EXPECT_EQ(body["HostConfig"]["DeviceRequests"],
            json::parse(R"([{"Driver":"cdi","DeviceIDs":["nvidia.com/gpu=all"]}])"));
  EXPECT_FALSE(body["HostConfig"].contains("Devices"));

  spec.gpus.device_ids = {"0", "nvidia.com/gpu=GPU-abc"};
  EXPECT_EQ(create_body_for(spec)["HostConfig"]["DeviceRequests"][0]["DeviceIDs"],
            json::parse(R"(["nvidia.com/gpu=0","nvidia.com/gpu=GPU-abc"])"));
}

TEST(DockerEngineContainersTest, PodmanAlsoGetsCdiNamesAsDevices) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.gpus.mode = core::GpuRequest::Mode::kCdi;
  const auto body = create_body_for(spec, /*podman=*/true);
  EXPECT_EQ(body["HostConfig"]["DeviceRequests"],
            json::parse(R"([{"Driver":"cdi","DeviceIDs":["nvidia.com/gpu=all"]}])"));
  EXPECT_EQ(body["HostConfig"]["Devices"], json::parse(R"([{"PathOnHost":"nvidia.com/gpu=all",
                             "PathInContainer":"nvidia.com/gpu=all","CgroupPermissions":""}])"));
}

TEST(DockerEngineContainersTest, PodmanGetsCdiEvenForNvidiaDriverRequestsItWouldIgnore) {
  core::ContainerSpec spec;
  spec.image = "x:1";
  spec.gpus = {.mode = core::GpuRequest::Mode::kNvidiaDriver, .count = 2};
  const auto body = create_body_for(spec, /*podman=*/true);
  EXPECT_EQ(body["HostConfig"]["DeviceRequests"][0]["Driver"], "cdi");
  EXPECT_EQ(body["HostConfig"]["DeviceRequests"][0]["DeviceIDs"],
            json::parse(R"(["nvidia.com/gpu=0","nvidia.com/gpu=1"])"));
  EXPECT_EQ(body["HostConfig"]["Devices"].size(), 2U);
}

TEST(DockerEngineContainersTest, CreateMapsMissingImageAndNameConflict) {
  EngineFixture engine;
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/create",
                         reply(404, R"({"message":"No such image: x:1"})"));
  engine.transport->once(
      HttpMethod::kPost, "/v1.41/containers/create",
      reply(
          409,
          R"({"message":"Conflict. The container name \"/c\" is already in use by container \"abc\"."})"));
  core::ContainerSpec spec;
  spec.name = "c";
  spec.image = "x:1";
  const auto missing = engine->create_container(spec);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "creating container c from image x:1: No such image: x:1");
  EXPECT_NE(missing.error().hint.find("x:1"), std::string::npos);
  const auto conflict = engine->create_container(spec);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
}

TEST(DockerEngineContainersTest, StartAcceptsNoContentAndNotModified) {
  EngineFixture engine;
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/abc/start", reply(204));
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/abc/start", reply(304));
  EXPECT_TRUE(engine->start_container("abc"));
  EXPECT_TRUE(engine->start_container("abc"));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/containers/abc/start");
}

TEST(DockerEngineContainersTest, StartWithoutGpuSupportIsThePreconditionUsersHitMost) {
  EngineFixture engine;
  engine.transport->on(
      HttpMethod::kPost, "/v1.41/containers/abc/start",
      reply(500,
            R"({"message":"could not select device driver \"\" with capabilities: [[gpu]]"})"));
  const auto started = engine->start_container("abc");
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(started.error().message.find("starting container abc: the Docker engine has no NVIDIA "
                                         "GPU support"),
            std::string::npos);
  EXPECT_NE(started.error().hint.find("sudo nvidia-ctk runtime configure --runtime=docker && sudo "
                                      "systemctl restart docker"),
            std::string::npos);
}

TEST(DockerEngineContainersTest, InspectReadsStateLabelsTtyAndPorts) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/abc/json", reply(200, R"({
    "Id":"abc123","Name":"/bert","Image":"sha256:img",
    "Config":{"Image":"deepdock/bert:1","Tty":true,"Labels":{"deepdock.managed":"true"}},
    "State":{"Status":"running","Running":true,"ExitCode":0,"OOMKilled":false,"Error":"",
             "StartedAt":"2024-01-01T00:00:00Z","FinishedAt":"0001-01-01T00:00:00Z",
             "Health":{"Status":"healthy"}},
    "NetworkSettings":{"Ports":{"8888/tcp":[{"HostIp":"127.0.0.1","HostPort":"49153"}],
                                "22/tcp":null}}})"));
  const auto info = engine->inspect_container("abc");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->id, "abc123");
  EXPECT_EQ(info->name, "bert");
  EXPECT_EQ(info->image, "deepdock/bert:1");
  EXPECT_EQ(info->image_id, "sha256:img");
  EXPECT_TRUE(info->tty);
  EXPECT_EQ(info->labels.at("deepdock.managed"), "true");
  EXPECT_EQ(info->state.status, "running");
  EXPECT_TRUE(info->state.running);
  EXPECT_EQ(info->state.health, "healthy");
  ASSERT_EQ(info->ports.size(), 1U);
  EXPECT_EQ(info->ports[0].container_port, 8888);
  EXPECT_EQ(info->ports[0].protocol, "tcp");
  EXPECT_EQ(info->ports[0].host_ip, "127.0.0.1");
  EXPECT_EQ(info->ports[0].host_port, 49153);
}

TEST(DockerEngineContainersTest, InspectOfAMissingContainerIsNotFound) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/",
                       reply(404, R"({"message":"No such container: gone"})"));
  const auto info = engine->inspect_container("gone");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(info.error().message, "inspecting container gone: No such container: gone");
}

TEST(DockerEngineContainersTest, ListFiltersByLabelsUrlEncoded) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kGet, "/v1.41/containers/json", reply(200, R"([
    {"Id":"abc","Names":["/bert"],"Image":"deepdock/bert:1","State":"running","Status":"Up 3 minutes",
     "Labels":{"deepdock.managed":"true"}}])"));
  const auto list = engine->list_containers({"deepdock.managed=true", "deepdock.env"}, true);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(engine.transport->requests().back().target,
            "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22deepdock.managed%3Dtrue%22"
            "%2C%22deepdock.env%22%5D%7D");
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].names, (std::vector<std::string>{"bert"}));
  EXPECT_EQ((*list)[0].state, "running");
  EXPECT_EQ((*list)[0].status, "Up 3 minutes");
  EXPECT_EQ((*list)[0].labels.at("deepdock.managed"), "true");

  ASSERT_TRUE(engine->list_containers({}, false));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/containers/json?all=0");
}

TEST(DockerEngineContainersTest, WaitBlocksWithoutTimeoutAndReturnsTheExitCode) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/wait",
                       reply(200, R"({"StatusCode":7,"Error":null})"));
  const auto code = engine->wait_container("abc");
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 7);
  EXPECT_EQ(engine.transport->requests().back().timeout.count(), 0);
}

TEST(DockerEngineContainersTest, StopSendsGracePeriodAndWaitsLongerThanIt) {
  EngineFixture engine;
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/abc/stop", reply(204));
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/abc/stop", reply(304));
  engine.transport->once(HttpMethod::kPost, "/v1.41/containers/abc/stop",
                         reply(404, R"({"message":"No such container: abc"})"));
  ASSERT_TRUE(engine->stop_container("abc", 10));
  const auto& request = engine.transport->requests().back();
  EXPECT_EQ(request.target, "/v1.41/containers/abc/stop?t=10");
  EXPECT_EQ(request.timeout, std::chrono::seconds(40));
  EXPECT_TRUE(engine->stop_container("abc", 10));
  const auto missing = engine->stop_container("abc", 10);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(DockerEngineContainersTest, RemoveMapsNotFoundAndConflict) {
  EngineFixture engine;
  engine.transport->once(HttpMethod::kDelete, "/v1.41/containers/abc", reply(204));
  engine.transport->once(HttpMethod::kDelete, "/v1.41/containers/abc",
                         reply(404, R"({"message":"No such container: abc"})"));
  engine.transport->once(
      HttpMethod::kDelete, "/v1.41/containers/abc",
      reply(
          409,
          R"({"message":"You cannot remove a running container abc. Stop the container before attempting removal or force remove"})"));
  ASSERT_TRUE(engine->remove_container("abc", true, true));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/containers/abc?force=1&v=1");
  const auto missing = engine->remove_container("abc", false, false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/containers/abc?force=0&v=0");
  const auto running = engine->remove_container("abc", false, false);
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code, ErrorCode::kConflict);
  EXPECT_NE(running.error().message.find("removing container abc"), std::string::npos);
}

TEST(DockerEngineContainersTest, ContainerIdsAreEncodedInPaths) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/", reply(204));
  ASSERT_TRUE(engine->start_container("a b/c"));
  EXPECT_EQ(engine.transport->requests().back().target, "/v1.41/containers/a%20b%2Fc/start");
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
