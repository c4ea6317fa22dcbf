#include "app/environments.hpp"

#include <gtest/gtest.h>

#include "app/environment_labels.hpp"
#include "fakes/fake_engine.hpp"
#include "fakes/fake_state_store.hpp"

namespace deepdock::app {
namespace {

using testing::FakeEngine;

std::string make_container(FakeEngine& engine, const std::string& name,
                           std::map<std::string, std::string> labels) {
  const auto id = engine.create_container(
      {.name = name, .image = "img", .env = {"DEEPDOCK_JUPYTER_TOKEN=tok"}, .labels = labels});
  EXPECT_TRUE(id);
  EXPECT_TRUE(engine.start_container(*id));
  return *id;
}

std::map<std::string, std::string> env_labels(const std::string& name) {
  return {{labels::kManaged, "true"},
          {labels::kEnvironment, name},
          {labels::kJupyterPort, "8890"},
          {"deepdock.jupyter", "lab"},
          {labels::kGpus, "none"}};
}

TEST(EnvironmentsTest, DownRemovesOnlyTheEnvironmentsLabelledContainers) {
  FakeEngine engine;
  testing::FakeStateStore state;
  const std::string ours = make_container(engine, "deepdock-a", env_labels("a"));
  const std::string other_env = make_container(engine, "deepdock-b", env_labels("b"));
  const std::string foreign = make_container(engine, "someone", {{"deepdock.env", "a"}});
  state.records[ours] = "{}";
  const auto down = down_environment(engine, state, "a", {});
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_EQ(down->containers_removed, std::vector<std::string>{"deepdock-a"});
  EXPECT_FALSE(engine.containers.contains(ours));
  EXPECT_TRUE(engine.containers.contains(other_env));
  EXPECT_TRUE(engine.containers.contains(foreign)) << "no deepdock.managed label: not ours";
  EXPECT_TRUE(state.records.empty()) << "its verification record goes with it";
  const auto again = down_environment(engine, state, "a", {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->containers_removed.empty());
}

TEST(EnvironmentsTest, DownImagesRemovesDeepdocksTagsAndKeepsOthers) {
  FakeEngine engine;
  testing::FakeStateStore state;
  const std::map<std::string, std::string> image_labels = {{labels::kImageGenerator, "deepdock"},
                                                           {labels::kImageSpecName, "a"}};
  engine.images["deepdock/a:111"] = {
      .id = "sha256:1", .repo_tags = {"deepdock/a:111", "mine/keep:1"}, .labels = image_labels};
  engine.images["deepdock/b:222"] = {
      .id = "sha256:2",
      .repo_tags = {"deepdock/b:222"},
      .labels = {{labels::kImageGenerator, "deepdock"}, {labels::kImageSpecName, "b"}}};
  const auto down = down_environment(engine, state, "a", {.images = true});
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_EQ(down->images_removed, std::vector<std::string>{"deepdock/a:111"});
  ASSERT_EQ(down->notes.size(), 1U);
  EXPECT_NE(down->notes[0].find("kept tag mine/keep:1"), std::string::npos);
  EXPECT_TRUE(engine.images.contains("deepdock/b:222"));
}

TEST(EnvironmentsTest, DownImagesAlsoRemovesTheRegistryNameUpPulledItBy) {
  FakeEngine engine;
  testing::FakeStateStore state;
  engine.images["deepdock/a:0123456789ab"] = {
      .id = "sha256:1",
      .repo_tags = {"deepdock/a:0123456789ab", "127.0.0.1:5000/envs/a:0123456789ab",
                    "127.0.0.1:5000/envs/a:latest", "other/b:0123456789ab"},
      .labels = {{labels::kImageGenerator, "deepdock"}, {labels::kImageSpecName, "a"}}};
  // The engine removes one tag at a time: the fake keeps the image under each name.
  engine.images["127.0.0.1:5000/envs/a:0123456789ab"] = engine.images["deepdock/a:0123456789ab"];
  const auto down = down_environment(engine, state, "a", {.images = true});
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_EQ(down->images_removed, (std::vector<std::string>{"deepdock/a:0123456789ab",
                                                            "127.0.0.1:5000/envs/a:0123456789ab"}));
  EXPECT_TRUE(engine.images.empty());
  std::string notes;
  for (const auto& note : down->notes) {
    notes += note + "\n";
  }
  EXPECT_NE(notes.find("kept tag 127.0.0.1:5000/envs/a:latest"), std::string::npos) << notes;
  EXPECT_NE(notes.find("kept tag other/b:0123456789ab"), std::string::npos) << notes;
}

TEST(EnvironmentsTest, StatusListsEnvironmentsWithUrlsAndVerification) {
  FakeEngine engine;
  testing::FakeStateStore state;
  const std::string id = make_container(engine, "deepdock-a", env_labels("a"));
  const std::string started = engine.containers.at(id).state.started_at;
  state.records[id] =
      R"({"schema":2,"container_started_at":")" + started +
      R"(","checked_at":"2026-11-24T12:00:00Z","framework":"pytorch","device":"cpu"})";
  make_container(engine, "not-deepdock", {});
  const auto listed = list_environments(engine, state);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1U);
  const EnvironmentView& view = listed->front();
  EXPECT_EQ(view.name, "a");
  EXPECT_EQ(view.state, "running");
  EXPECT_EQ(view.jupyter_port, std::optional<uint16_t>(8890));
  EXPECT_EQ(jupyter_url(view.jupyter_mode, view.jupyter_port, view.token),
            "http://127.0.0.1:8890/lab?token=tok");
  ASSERT_TRUE(view.verification.has_value());
  EXPECT_EQ(view.verification->checked_at, "2026-11-24T12:00:00Z");
}

TEST(EnvironmentsTest, ShellAndExecNeedARunningEnvironment) {
  FakeEngine engine;
  testing::FakeStateStore state;
  const auto missing = running_environment(engine, state, "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().hint.find("deepdock up"), std::string::npos);
  const std::string id = make_container(engine, "deepdock-a", env_labels("a"));
  ASSERT_TRUE(engine.stop_container(id, 1));
  const auto stopped = running_environment(engine, state, "a");
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::kPrecondition);
}

TEST(EnvironmentsTest, DownWaitsForARemovalAnInterruptedRunLeftUnderWay) {
  FakeEngine engine;
  testing::FakeStateStore state;
  const std::string id = make_container(engine, "deepdock-a", env_labels("a"));
  engine.removal_in_progress[id] = 3;  // gone after three looks
  const auto down = down_environment(engine, state, "a", {});
  ASSERT_TRUE(down) << down.error().message;
  EXPECT_FALSE(engine.containers.contains(id));
}

}  // namespace
}  // namespace deepdock::app
