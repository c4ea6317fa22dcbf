// `up` on an SSH host with the spec's `registry:` (the test registry on 127.0.0.1, which the
// SSH test host shares): the image is made here, pushed to the registry, and pulled by the
// host's engine through the forwarded socket, then run and verified there.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "e2e/e2e_support.hpp"
#include "util/strings.hpp"

namespace deepdock::e2e {
namespace {

TEST(UpRegistryTest, TheHostPullsTheImageMadeHereFromTheSpecsRegistry) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  TempDir dir;
  const SshHostSession session(dir.path(), config);
  std::string said;
  ASSERT_EQ(session.write_engine_settings(&said), 0) << said;

  const std::string name = "e2e-registry-" + unique_suffix();
  const fs::path spec = dir.path() / "deepdock.yaml";
  std::string text = read_file(fs::path(DEEPDOCK_SOURCE_DIR) / "examples/offline-pytorch.yaml");
  text.replace(text.find("name: offline-pytorch"), 21, "name: " + name);
  text +=
      fmt::format("ports: {{jupyter: {}}}\ntarget: {{kind: ssh, host: {}}}\n", free_port(), host);
  text += fmt::format("registry: {}/deepdock-e2e\n", registry);
  write_file(spec, text);
  const auto deepdock = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"-f", spec.string()});
    return testing::run_deepdock(args, session.env());
  };
  struct Down {
    std::function<void()> run;
    ~Down() { run(); }
  } down{[&] { deepdock({"down", "--images"}); }};

  const BinaryRun up = deepdock({"--json", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text;
  const auto summary = parse_json(up.stdout_text);
  EXPECT_TRUE(summary["verification"]["passed"].get<bool>()) << up.stdout_text;
  std::vector<std::string> ids;
  for (const auto& step : summary["steps"]) {
    ids.push_back(step["id"]);
  }
  EXPECT_NE(std::find(ids.begin(), ids.end(), "push-image"), ids.end()) << up.stdout_text;
  EXPECT_NE(std::find(ids.begin(), ids.end(), "pull-image"), ids.end()) << up.stdout_text;
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "ship-image"), ids.end()) << up.stdout_text;

  // The host holds the image under both names: the registry's and the environment's.
  const std::string tag = summary["image"].get<std::string>();
  const std::string pushed = registry + "/deepdock-e2e/" + tag.substr(tag.find('/') + 1);
  int code = -1;
  const std::string ids_there =
      on_ssh_host(config, "docker image inspect -f '{{.Id}}' " + pushed + " " + tag, &code);
  ASSERT_EQ(code, 0) << ids_there;
  const auto lines = util::split(ids_there, '\n');
  ASSERT_GE(lines.size(), 2U) << ids_there;
  EXPECT_EQ(lines[0], lines[1]) << ids_there;
}

}  // namespace
}  // namespace deepdock::e2e
