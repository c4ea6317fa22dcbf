// DockerEngine against the real engine (DOCKER_HOST), registry (DEEPDOCK_TEST_REGISTRY) and
// base image (DEEPDOCK_TEST_BASE_IMAGE) that scripts/test-components.sh starts. Everything
// a test creates carries a per-run name and label and is removed at the end, pass or fail.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_test_support.hpp"

namespace deepdock::adapters::docker::integration {
namespace {

core::ContainerSpec sleeper(const std::string& image, const std::string& name) {
  core::ContainerSpec spec;
  spec.name = name;
  spec.image = image;
  spec.cmd = {"sh", "-c", "echo started; echo to-stderr >&2; exec sleep infinity"};
  spec.labels = {{"deepdock.managed", "true"}, {"deepdock.test-run", run_id()}};
  spec.network_mode = "none";  // the test engine has no bridge
  spec.init = true;            // signals reach sleep, so stop is quick
  return spec;
}

// The engine at DOCKER_HOST with the base image in it (BaseImageEngineTest).
using DockerEngineIntegrationTest = BaseImageEngineTest;

TEST_F(DockerEngineIntegrationTest, InfoNegotiatesWithinOurRange) {
  const auto info = engine_->info();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_GE(info->api_version, DockerEngine::kMinApi);
  EXPECT_LE(info->api_version, DockerEngine::kMaxApi);
  EXPECT_LE(info->api_version, info->server_api_version);
  EXPECT_FALSE(info->version.empty());
  EXPECT_EQ(info->os, "linux");
  EXPECT_FALSE(info->runtimes.empty());
  EXPECT_FALSE(info->storage_driver.empty());
  EXPECT_FALSE(info->cgroup_driver.empty());
}

TEST_F(DockerEngineIntegrationTest, BuildTagPushRemovePullRoundTrip) {
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  Cleanup cleanup(*engine_);
  const std::string local_tag = "deepdock-it/engine-" + run_id() + ":1";
  const std::string remote_tag = registry + "/deepdock-it/engine-" + run_id() + ":1";
  cleanup.image(remote_tag);
  cleanup.image(local_tag);

  // Build: a build arg, a RUN writing a file, a .dockerignore'd file.
  const auto context = cleanup.temp_dir("context");
  write_file(context / "Dockerfile",
             "FROM " + base_image_ +
                 "\nARG GREETING\nRUN echo \"$GREETING\" > /greeting.txt\nCOPY . /ctx/\n");
  write_file(context / "kept.txt", "kept\n");
  write_file(context / "ignored.txt", "must not reach the image\n");
  write_file(context / ".dockerignore", "ignored.txt\n");
  core::BuildRequest build;
  build.context_dir = context;
  build.tags = {local_tag};
  build.build_args = {{"GREETING", "hello from deepdock"}};
  build.labels = {{"deepdock.test-run", run_id()}};
  build.network_mode = "host";
  std::string build_output;
  const auto image_id =
      engine_->build_image(build, [&](const core::ProgressEvent& e) { build_output += e.stream; });
  ASSERT_TRUE(image_id) << image_id.error().message << "\n" << build_output;
  EXPECT_TRUE(image_id->starts_with("sha256:")) << *image_id;
  EXPECT_NE(build_output.find("Step"), std::string::npos) << build_output;
  const auto built = engine_->inspect_image(local_tag);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_EQ(built->id, *image_id);
  EXPECT_EQ(built->labels.at("deepdock.test-run"), run_id());

  // Tag, push, remove locally, pull back.
  const auto remote = core::ImageRef::parse(remote_tag).value();
  ASSERT_TRUE(engine_->tag_image(local_tag, remote));
  std::vector<core::ProgressEvent> push_events;
  const auto pushed =
      engine_->push_image(remote, [&](const core::ProgressEvent& e) { push_events.push_back(e); });
  ASSERT_TRUE(pushed) << pushed.error().message;
  EXPECT_FALSE(push_events.empty());
  ASSERT_TRUE(engine_->remove_image(remote_tag, false));
  ASSERT_TRUE(engine_->remove_image(local_tag, false));
  EXPECT_EQ(code_of(engine_->inspect_image(remote_tag)), ErrorCode::kNotFound);

  std::vector<core::ProgressEvent> pull_events;
  const auto pulled =
      engine_->pull_image(remote, [&](const core::ProgressEvent& e) { pull_events.push_back(e); });
  ASSERT_TRUE(pulled) << pulled.error().message;
  bool saw_layer_progress = false;
  bool saw_final_status = false;
  for (const auto& event : pull_events) {
    saw_layer_progress = saw_layer_progress || event.status == "Pull complete" ||
                         event.status == "Downloading" || event.status == "Already exists";
    saw_final_status = saw_final_status || event.status.starts_with("Status: ");
  }
  EXPECT_TRUE(saw_layer_progress);
  EXPECT_TRUE(saw_final_status);
  const auto back = engine_->inspect_image(remote_tag);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, *image_id);

  // The image holds what the build put there, and not what .dockerignore kept out.
  auto spec = sleeper(remote_tag, "deepdock-it-build-" + run_id());
  const auto id = engine_->create_container(spec);
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  ASSERT_TRUE(engine_->start_container(*id));
  const auto check = engine_->exec(
      *id, {.cmd = {"sh", "-c", "cat /greeting.txt /ctx/kept.txt; test ! -e /ctx/ignored.txt"}},
      {});
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->exit_code, 0) << check->stderr_text;
  EXPECT_EQ(check->stdout_text, "hello from deepdock\nkept\n");
}

TEST_F(DockerEngineIntegrationTest, ContainerLifecycle) {
  Cleanup cleanup(*engine_);
  const std::string name = "deepdock-it-life-" + run_id();
  const auto id = engine_->create_container(sleeper(base_image_, name));
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  ASSERT_TRUE(engine_->start_container(*id));
  EXPECT_TRUE(engine_->start_container(*id)) << "starting twice is not an error";

  const auto info = engine_->inspect_container(name);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->id, *id);
  EXPECT_EQ(info->name, name);
  EXPECT_TRUE(info->state.running);
  EXPECT_EQ(info->state.status, "running");
  EXPECT_EQ(info->labels.at("deepdock.test-run"), run_id());
  EXPECT_FALSE(info->tty);

  // exec: separated streams and the exit code.
  const auto ran = engine_->exec(*id, {.cmd = {"sh", "-c", "echo out; echo err >&2; exit 7"}}, {});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 7);
  EXPECT_EQ(ran->stdout_text, "out\n");
  EXPECT_EQ(ran->stderr_text, "err\n");

  // Files in and out.
  ASSERT_TRUE(engine_->put_file(*id, "/tmp/put.sh", "#!/bin/sh\necho put\n", 0755));
  const auto host_in = cleanup.temp_dir("in");
  write_file(host_in / "data.txt", "copied in and out\n");
  ASSERT_TRUE(engine_->copy_to_container(*id, host_in / "data.txt", "/tmp"));
  const auto run_put = engine_->exec(*id, {.cmd = {"/tmp/put.sh"}}, {});
  ASSERT_TRUE(run_put) << run_put.error().message;
  EXPECT_EQ(run_put->stdout_text, "put\n");
  const auto host_out = cleanup.temp_dir("out");
  ASSERT_TRUE(engine_->copy_from_container(*id, "/tmp/data.txt", host_out));
  ASSERT_TRUE(engine_->copy_from_container(*id, "/tmp/put.sh", host_out));
  EXPECT_EQ(read_file(host_out / "data.txt"), "copied in and out\n");
  EXPECT_EQ(read_file(host_out / "put.sh"), "#!/bin/sh\necho put\n");
  const auto missing_dir = engine_->put_file(*id, "/no/such/dir/x", "x", 0644);
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kNotFound) << missing_dir.error().message;

  // Logs, separated.
  std::string out;
  std::string err;
  ASSERT_TRUE(engine_->container_logs(*id, {}, [&](core::StreamKind kind, std::string_view data) {
    (kind == core::StreamKind::kStderr ? err : out).append(data);
  }));
  EXPECT_EQ(out, "started\n");
  EXPECT_EQ(err, "to-stderr\n");

  // Listed by label.
  const auto listed = engine_->list_containers({"deepdock.test-run=" + run_id()}, true);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().id, *id);
  EXPECT_EQ(listed->front().names, (std::vector<std::string>{name}));

  // Stop, wait, remove.
  ASSERT_TRUE(engine_->stop_container(*id, 5));
  EXPECT_TRUE(engine_->stop_container(*id, 5)) << "stopping twice is not an error";
  const auto code = engine_->wait_container(*id);
  ASSERT_TRUE(code) << code.error().message;
  const auto stopped = engine_->inspect_container(*id);
  ASSERT_TRUE(stopped);
  EXPECT_FALSE(stopped->state.running);
  EXPECT_EQ(stopped->state.exit_code, *code);
  ASSERT_TRUE(engine_->remove_container(*id, false, true));
  EXPECT_EQ(code_of(engine_->inspect_container(*id)), ErrorCode::kNotFound);
  EXPECT_EQ(code_of(engine_->remove_container(*id, false, false)), ErrorCode::kNotFound);
}

TEST_F(DockerEngineIntegrationTest, FollowedLogsEndWithTheContainerAndWaitReturnsItsCode) {
  for (const bool tty : {false, true}) {
    SCOPED_TRACE(tty ? "tty" : "no tty");
    Cleanup cleanup(*engine_);
    auto spec = sleeper(base_image_, "deepdock-it-logs-" + std::to_string(int{tty}) + run_id());
    spec.cmd = {"sh", "-c", "echo one; echo two >&2; exit 3"};
    spec.tty = tty;
    const auto id = engine_->create_container(spec);
    ASSERT_TRUE(id) << id.error().message;
    cleanup.container(*id);
    ASSERT_TRUE(engine_->start_container(*id));
    std::string out;
    std::string err;
    const auto followed = engine_->container_logs(
        *id, {.follow = true}, [&](core::StreamKind kind, std::string_view data) {
          (kind == core::StreamKind::kStderr ? err : out).append(data);
        });
    ASSERT_TRUE(followed) << followed.error().message;
    if (tty) {
      // One pseudo-terminal: both streams arrive as stdout, with CRLF line ends.
      EXPECT_NE(out.find("one"), std::string::npos) << out;
      EXPECT_NE(out.find("two"), std::string::npos) << out;
      EXPECT_TRUE(err.empty()) << err;
    } else {
      EXPECT_EQ(out, "one\n");
      EXPECT_EQ(err, "two\n");
    }
    const auto code = engine_->wait_container(*id);
    ASSERT_TRUE(code) << code.error().message;
    EXPECT_EQ(*code, 3);
  }
}

TEST_F(DockerEngineIntegrationTest, RemovingARunningContainerWithoutForceIsAConflict) {
  Cleanup cleanup(*engine_);
  const auto id = engine_->create_container(sleeper(base_image_, "deepdock-it-busy-" + run_id()));
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  ASSERT_TRUE(engine_->start_container(*id));
  const auto removed = engine_->remove_container(*id, false, false);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kConflict) << removed.error().message;
  const auto again =
      engine_->create_container(sleeper(base_image_, "deepdock-it-busy-" + run_id()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict) << again.error().message;
}

TEST_F(DockerEngineIntegrationTest, GpuRequestOnAGpuLessEngineFailsAtStartWithTheFix) {
  Cleanup cleanup(*engine_);
  auto spec = sleeper(base_image_, "deepdock-it-gpu-" + run_id());
  spec.gpus.mode = core::GpuRequest::Mode::kNvidiaDriver;
  const auto id = engine_->create_container(spec);
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  const auto started = engine_->start_container(*id);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(started.error().message.find("the Docker engine has no NVIDIA GPU support"),
            std::string::npos)
      << started.error().message;
  EXPECT_NE(started.error().message.find("could not select device driver \"\" with capabilities"),
            std::string::npos)
      << started.error().message;
  EXPECT_NE(started.error().hint.find("nvidia-ctk runtime configure"), std::string::npos);
}

TEST_F(DockerEngineIntegrationTest, InspectOfAMissingImageIsNotFound) {
  const std::string ref = "deepdock-it/does-not-exist-" + run_id() + ":1";
  const auto image = engine_->inspect_image(ref);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code, ErrorCode::kNotFound);
  EXPECT_NE(image.error().message.find(ref), std::string::npos);
}

TEST_F(DockerEngineIntegrationTest, PullOfAMissingRepositoryIsNotFound) {
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  const auto ref = core::ImageRef::parse(registry + "/deepdock-it/never-pushed-" + run_id() + ":1");
  ASSERT_TRUE(ref);
  const auto pulled = engine_->pull_image(*ref, {});
  ASSERT_FALSE(pulled);
  EXPECT_EQ(pulled.error().code, ErrorCode::kNotFound) << pulled.error().message;
}

// Needs no component: nothing listens on the socket.
TEST(DockerEngineUnreachableTest, UnreachableSocketIsAPreconditionNamingIt) {
  auto engine = engine_for("unix:///nonexistent/deepdock-it.sock");
  ASSERT_TRUE(engine) << engine.error().message;
  const auto info = (*engine)->info();
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(info.error().message.find("cannot reach the Docker engine at "
                                      "unix:///nonexistent/deepdock-it.sock"),
            std::string::npos)
      << info.error().message;
  EXPECT_NE(info.error().hint.find("systemctl start docker"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::adapters::docker::integration
