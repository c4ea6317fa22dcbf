// `deepdock bootstrap` against the SSH test host (a container with sshd and no Docker):
// Debian's docker.io is installed from the mirror for real and the engine started; the run
// is killed at each step boundary and run again, and each run goes on from where the last
// one stopped without repeating a finished step; a run with nothing to do is quick.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until the spawned bootstrap's progress shows step `id` finished, then kills it.
void kill_after_step(Spawned& run, const std::string& id) {
  const auto deadline = Clock::now() + std::chrono::minutes(10);
  while (run.err().find("✓ " + id + ":") == std::string::npos) {
    ASSERT_LT(Clock::now(), deadline) << run.err();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.signal(SIGKILL);
  EXPECT_EQ(run.wait(), 128 + SIGKILL);
}

TEST(BootstrapTest, KilledAtEachStepBoundaryItResumesAndNeverRepeatsAStep) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  TempDir dir;
  const SshHostSession session(dir.path(), config);
  const std::vector<std::string>& env = session.env();
  // The host's engine settings, and no checkpoints from an earlier run of this test.
  std::string said;
  ASSERT_EQ(session.write_engine_settings(&said), 0) << said;
  int code = -1;
  said = on_ssh_host(config, "sudo rm -rf /var/lib/deepdock/bootstrap", &code);
  ASSERT_EQ(code, 0) << said;

  const BinaryRun plan = testing::run_deepdock({"bootstrap", "--host", host, "--dry-run"}, env);
  ASSERT_EQ(plan.exit_code, 0) << plan.stderr_text;
  EXPECT_NE(plan.stdout_text.find("1. docker-engine"), std::string::npos) << plan.stdout_text;
  EXPECT_NE(plan.stdout_text.find("3. docker-group"), std::string::npos) << plan.stdout_text;

  const std::vector<std::string> args = {"bootstrap", "--host", host};
  {
    Spawned first(args, env, dir.path());
    kill_after_step(first, "docker-engine");
  }
  {
    Spawned second(args, env, dir.path());
    kill_after_step(second, "engine-running");
    EXPECT_NE(second.err().find("✓ docker-engine: done before"), std::string::npos) << second.err();
  }
  const BinaryRun third = testing::run_deepdock({"--json", "bootstrap", "--host", host}, env);
  ASSERT_EQ(third.exit_code, 0) << third.stderr_text;
  const auto steps = parse_json(third.stdout_text)["steps"];
  ASSERT_EQ(steps.size(), 3U) << third.stdout_text;
  EXPECT_EQ(steps[0]["outcome"], "done before");
  EXPECT_EQ(steps[1]["outcome"], "done before");
  EXPECT_NE(steps[2]["outcome"], "done before") << "the third step had not run yet";

  // The engine answers the login user without sudo (a new session has the docker group).
  const std::string info = on_ssh_host(config, "docker info --format '{{.ServerVersion}}'", &code);
  EXPECT_EQ(code, 0) << info;

  // Nothing left to do: every step is read from its checkpoint.
  const auto start = Clock::now();
  const BinaryRun again = testing::run_deepdock({"--json", "bootstrap", "--host", host}, env);
  const auto took = Clock::now() - start;
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  const auto again_steps = parse_json(again.stdout_text)["steps"];
  for (const auto& step : again_steps) {
    EXPECT_EQ(step["outcome"], "done before") << again.stdout_text;
  }
  EXPECT_LT(took, std::chrono::seconds(3));
}

}  // namespace
}  // namespace deepdock::e2e
