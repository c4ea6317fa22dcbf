// `deepdock up` fails in a way a person can act on, with the exit code of the failure's
// class, and leaves nothing half-done: each case runs the built binary against the real
// engine (or a missing one) and checks the code, the message and what is left behind.
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

class UpFailuresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto host = testing::env_value("DOCKER_HOST");
    if (!host) {
      if (testing::running_in_ci()) {
        FAIL() << "DOCKER_HOST is not set: run the tests through scripts/test.sh";
      }
      GTEST_SKIP() << "DOCKER_HOST is not set (scripts/test-components.sh start)";
    }
    e2e_ = e2e_env(dir_.path() / "state", *host);
    name_ = "e2e-fail-" + unique_suffix();
  }

  // What a case built goes again (the engine's data root outlives the run).
  void TearDown() override {
    if (!e2e_.env.empty()) {
      const EnvironmentCleanup cleanup(e2e_.env, name_);
    }
  }

  BinaryRun up_with(const std::string& spec, std::vector<std::string> extra_env = {}) {
    write_file(dir_.path() / "deepdock.yaml", spec);
    std::vector<std::string> env = e2e_.env;
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    return testing::run_deepdock({"up", "-f", (dir_.path() / "deepdock.yaml").string()}, env);
  }

  // A spec of no framework and no services on the test base image (a debootstrapped
  // bookworm in the engine), with `extra` keys; nullopt after marking the test skipped
  // (failed under CI) when there is no base image.
  void small_spec(const std::string& extra, std::optional<std::string>& spec) const {
    const auto base = testing::env_value("DEEPDOCK_TEST_BASE_IMAGE");
    if (!base) {
      if (testing::running_in_ci()) {
        FAIL() << "DEEPDOCK_TEST_BASE_IMAGE is not set: run the tests through scripts/test.sh";
      }
      GTEST_SKIP() << "DEEPDOCK_TEST_BASE_IMAGE is not set";
    }
    spec = fmt::format("name: {}\nframework: none\nbase: {}\njupyter: none\ntensorboard: false\n{}",
                       name_, *base, extra);
  }

  // No container of this environment exists, running or not.
  void expect_no_container() {
    const std::string listed = docker("ps -a -q --filter label=deepdock.env=" + name_);
    EXPECT_EQ(listed, "") << "containers left behind: " << listed;
  }

  TempDir dir_;
  E2eEnv e2e_;
  std::string name_;
};

TEST_F(UpFailuresTest, InvalidSpecIsExit2WithWhereAndWhat) {
  const BinaryRun run = up_with("name: " + name_ + "\nframwork: pytorch\ngpu: sometimes\n");
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("framework"), std::string::npos) << "did-you-mean";
  EXPECT_NE(run.stderr_text.find(":2:"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find(":3:"), std::string::npos) << run.stderr_text;
}

TEST_F(UpFailuresTest, GpuRequiredOnAHostWithoutGpuIsExit3NeverACpuContainer) {
  const BinaryRun run = up_with("name: " + name_ + "\nframework: tensorflow\ngpu: required\n",
                                {"DEEPDOCK_HOST_ROOT=" DEEPDOCK_TESTDATA_DIR "/hosts/no-gpu"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE((run.stdout_text + run.stderr_text).find("GPU"), std::string::npos);
  expect_no_container();
}

TEST_F(UpFailuresTest, UnreachableEngineIsExit3NamingTheSocket) {
  write_file(dir_.path() / "deepdock.yaml", "name: " + name_ + "\n");
  const BinaryRun run =
      testing::run_deepdock({"up", "-f", (dir_.path() / "deepdock.yaml").string()},
                            {"DOCKER_HOST=unix://" + (dir_.path() / "no-engine.sock").string(),
                             "DEEPDOCK_STATE_DIR=" + (dir_.path() / "state").string()});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("no-engine.sock"), std::string::npos) << run.stderr_text;
}

TEST_F(UpFailuresTest, DefaultSpecExplainsThatTheRegistryCannotBeReached) {
  // No file: the default environment, on the official TensorFlow image. This engine reaches
  // no registry, and the error says what to do instead.
  // `env -C` runs deepdock in a directory without a deepdock.yaml.
  std::vector<std::string> env = {"-C", dir_.path().string()};
  env.insert(env.end(), e2e_.env.begin(), e2e_.env.end());
  env.push_back("DEEPDOCK_HOST_ROOT=" DEEPDOCK_TESTDATA_DIR "/hosts/no-gpu");
  const BinaryRun run = testing::run_deepdock({"up"}, env);
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("tensorflow/tensorflow:"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("debootstrap:bookworm"), std::string::npos) << run.stderr_text;
  EXPECT_EQ(docker("ps -a -q --filter label=deepdock.env=deepdock --filter "
                   "label=deepdock.managed=true"),
            "");
}

TEST_F(UpFailuresTest, GpuHostWithoutToolkitIsExit3WithTheFixAndNoContainerLeft) {
  // A T4 with driver 535 (a fixture tree): the environment gets a GPU request, and this
  // engine, like one without the NVIDIA container toolkit, cannot select a GPU driver.
  std::optional<std::string> spec;
  small_spec("gpu: required\nnetwork: host\n", spec);
  if (!spec) {
    return;
  }
  const BinaryRun run =
      up_with(*spec, {"DEEPDOCK_HOST_ROOT=" DEEPDOCK_TESTDATA_DIR "/hosts/t4-driver-535"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("nvidia-ctk"), std::string::npos) << run.stderr_text;
  expect_no_container();
}

TEST_F(UpFailuresTest, BuildFailureIsExit1WithTheBuildOutputAndNoContainer) {
  std::optional<std::string> spec;
  small_spec("network: host\napt: [deepdock-no-such-package]\n", spec);
  if (!spec) {
    return;
  }
  const BinaryRun run = up_with(*spec);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("deepdock-no-such-package"), std::string::npos) << run.stderr_text;
  expect_no_container();
}

TEST_F(UpFailuresTest, BridgeSpecOnAnEngineWithoutBridgeIsExit3SuggestingHostNetwork) {
  std::optional<std::string> spec;
  small_spec("", spec);
  if (!spec) {
    return;
  }
  const BinaryRun run = up_with(*spec);
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("network: host"), std::string::npos) << run.stderr_text;
  expect_no_container();
}

TEST_F(UpFailuresTest, AGcpTargetWithoutCredentialsIsExit3SayingHowToLogIn) {
  // No credentials anywhere: no key file, an empty gcloud configuration, and the metadata
  // server not asked (NO_GCE_CHECK), so nothing leaves this machine.
  const fs::path gcloud = dir_.path() / "gcloud";
  fs::create_directories(gcloud);
  const BinaryRun run =
      up_with("name: " + name_ +
                  "\ntarget: {kind: gcp, gcp: {project: learning-deeply, zones: [us-central1-a], "
                  "accelerator: nvidia-tesla-t4}}\n",
              {"CLOUDSDK_CONFIG=" + gcloud.string(),
               "GOOGLE_APPLICATION_CREDENTIALS=", "NO_GCE_CHECK=True"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("gcloud auth"), std::string::npos) << run.stderr_text;
  expect_no_container();
}

TEST_F(UpFailuresTest, AnSshHostThatDoesNotAnswerIsExit3WithWhatToCheck) {
  // A loopback port nothing listens on: never an outside address.
  const uint16_t port = free_port();
  const BinaryRun run = up_with(
      fmt::format("name: {}\ntarget: {{kind: ssh, host: ssh://whale@127.0.0.1:{}}}\n", name_, port),
      {"DEEPDOCK_SSH_CONFIG=/dev/null"});
  EXPECT_EQ(run.exit_code, 3) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("nothing accepts SSH connections"), std::string::npos)
      << run.stderr_text;
}

TEST_F(UpFailuresTest, CommandsOnAnEnvironmentThatIsNotUp) {
  write_file(dir_.path() / "deepdock.yaml", "name: " + name_ + "\n");
  const std::vector<std::string> file = {"-f", (dir_.path() / "deepdock.yaml").string()};
  const BinaryRun exec = testing::run_deepdock({"exec", file[0], file[1], "--", "true"}, e2e_.env);
  EXPECT_EQ(exec.exit_code, 1) << exec.stderr_text;
  EXPECT_NE(exec.stderr_text.find("no environment named '" + name_ + "'"), std::string::npos)
      << exec.stderr_text;
  const BinaryRun down = testing::run_deepdock({"down", file[0], file[1]}, e2e_.env);
  EXPECT_EQ(down.exit_code, 0) << down.stderr_text;
  const BinaryRun dry = testing::run_deepdock({"up", file[0], file[1], "--dry-run", "--json"}, [&] {
    auto env = e2e_.env;
    env.emplace_back("DEEPDOCK_HOST_ROOT=" DEEPDOCK_TESTDATA_DIR "/hosts/no-gpu");
    return env;
  }());
  EXPECT_EQ(dry.exit_code, 0) << dry.stderr_text;
  const auto plan = parse_json(dry.stdout_text);
  EXPECT_TRUE(plan["dry_run"].get<bool>()) << dry.stdout_text;
  EXPECT_EQ(plan["container_state"], "to create");
  expect_no_container();
}

}  // namespace
}  // namespace deepdock::e2e
