// `up` with `build: cloudbuild` on a Google Cloud VM, against the emulator: the context goes
// to Cloud Storage, Cloud Build (the emulator's, which builds with the test engine and pushes
// to the test registry) makes the image and reports its digest, and the VM (the SSH test
// host) pulls it from the spec's registry; nothing is built on this machine or on the VM.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e/e2e_support.hpp"
#include "e2e/gcp_emulator.hpp"

namespace deepdock::e2e {
namespace {

TEST(UpGcpCloudBuildTest, CloudBuildMakesTheImageAndTheVmPullsItFromTheRegistry) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  DEEPDOCK_REQUIRE_COMPONENT(registry, "DEEPDOCK_TEST_REGISTRY");
  DEEPDOCK_REQUIRE_COMPONENT(base, "DEEPDOCK_TEST_BASE_IMAGE");
  TempDir dir;
  const fs::path spec = dir.path() / "deepdock.yaml";
  const GcpTestbed bed(
      dir.path(), config, spec,
      {"--build-command",
       "bash " +
           (fs::path(DEEPDOCK_SOURCE_DIR) / "tests/emulators/gcp/build-with-engine.sh").string()});
  ASSERT_EQ(bed.problem(), "");
  const GcpEmulator& emulator = bed.emulator();

  const std::string name = "e2e-gcb-" + unique_suffix();
  write_file(spec, fmt::format("name: {}\nframework: none\nbase: {}\njupyter: none\n"
                               "tensorboard: false\ngpu: none\nnetwork: host\n"
                               "build: cloudbuild\nregistry: {}/deepdock-e2e\n"
                               "target:\n  kind: gcp\n  gcp: {{zones: [us-west1-b], "
                               "accelerator: nvidia-tesla-t4, count: 1}}\n",
                               name, base, registry));
  const auto deepdock = [&](std::vector<std::string> args) {
    return bed.deepdock(std::move(args));
  };

  const BinaryRun up = deepdock({"--json", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text << "\nemulator:\n" << emulator.stderr_text();
  const auto summary = parse_json(up.stdout_text);
  std::vector<std::string> ids;
  for (const auto& step : summary["steps"]) {
    ids.push_back(step["id"]);
  }
  for (const char* expected : {"cloud-build", "pull-image"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), expected), ids.end()) << expected << "\n"
                                                                      << up.stdout_text;
  }
  for (const char* absent : {"build-image", "push-image", "ship-image"}) {
    EXPECT_EQ(std::find(ids.begin(), ids.end(), absent), ids.end()) << absent << "\n"
                                                                    << up.stdout_text;
  }
  EXPECT_TRUE(summary["verification"]["passed"].get<bool>()) << up.stdout_text;
  // This machine holds no credentials for the registry: the VM's own docker pulled it.
  for (const auto& step : summary["steps"]) {
    if (step["id"] == "pull-image") {
      EXPECT_EQ(step["outcome"], "pulled by the target itself") << step.dump();
    }
  }

  // The context went to Cloud Storage and one build ran, then the VM pulled its image.
  size_t uploads = 0;
  size_t builds = 0;
  for (const auto& request : emulator.requests()) {
    const std::string path = request.value("path", "");
    uploads += request["method"] == "POST" && path.find("/upload/storage/") == 0 ? 1U : 0U;
    builds += request["method"] == "POST" && path.ends_with("/builds") ? 1U : 0U;
  }
  EXPECT_EQ(uploads, 1U);
  EXPECT_EQ(builds, 1U);
  const std::string tag = summary["image"].get<std::string>();
  const std::string pushed = registry + "/deepdock-e2e/" + tag.substr(tag.find('/') + 1);
  int code = -1;
  const std::string there = on_ssh_host(config, "sudo docker image inspect -f ok " + pushed, &code);
  EXPECT_EQ(code, 0) << there;
}

}  // namespace
}  // namespace deepdock::e2e
