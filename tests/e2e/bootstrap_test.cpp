// `deepdock bootstrap` against the SSH test host (a container with sshd and no Docker):
// Debian's docker.io is installed from the mirror for real and the engine started; the run
// is killed at each step boundary and run again, and each run goes on from where the last
// one stopped without repeating a finished step; a run with nothing to do is quick. The
// same plan as a script, run on the host, reads the same checkpoints, and both the script's
// `check` and `deepdock bootstrap --check` repair an engine that was stopped.
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

  // The same plan as a script run on the host itself reads the same checkpoints.
  const BinaryRun emitted =
      testing::run_deepdock({"bootstrap", "--host", host, "--emit", "startup-script"}, env);
  ASSERT_EQ(emitted.exit_code, 0) << emitted.stderr_text;
  const fs::path script = dir.path() / "bootstrap.sh";
  write_file(script, emitted.stdout_text);
  const auto run_script = [&](const std::string& mode) {
    return shell_output(
        fmt::format("ssh -F {} -o BatchMode=yes whale@127.0.0.1 'sudo sh -s {}' "
                    "<{} 2>&1",
                    util::shell_quote(config), mode, util::shell_quote(script.string())),
        &code);
  };
  std::string said_by_script = run_script("run");
  EXPECT_EQ(code, 0) << said_by_script;
  EXPECT_NE(said_by_script.find("docker-engine: done before"), std::string::npos) << said_by_script;
  EXPECT_NE(said_by_script.find("all steps in place"), std::string::npos) << said_by_script;

  // Drift: the engine stopped. The script's check repairs it, and so does --check.
  const std::string stop_engine =
      "sudo pkill -x dockerd; while pgrep -x dockerd >/dev/null; do sleep 0.2; done";
  said = on_ssh_host(config, stop_engine, &code);
  ASSERT_EQ(code, 0) << said;
  said_by_script = run_script("check");
  EXPECT_EQ(code, 0) << said_by_script;
  EXPECT_NE(said_by_script.find("engine-running: applying"), std::string::npos) << said_by_script;
  EXPECT_NE(said_by_script.find("docker-engine: in place"), std::string::npos) << said_by_script;
  said = on_ssh_host(config, "docker info --format '{{.ServerVersion}}'", &code);
  EXPECT_EQ(code, 0) << said;

  said = on_ssh_host(config, stop_engine, &code);
  ASSERT_EQ(code, 0) << said;
  const BinaryRun checked =
      testing::run_deepdock({"--json", "bootstrap", "--host", host, "--check"}, env);
  ASSERT_EQ(checked.exit_code, 0) << checked.stderr_text;
  const auto checked_steps = parse_json(checked.stdout_text)["steps"];
  EXPECT_EQ(checked_steps[0]["outcome"], "already there") << checked.stdout_text;
  EXPECT_EQ(checked_steps[1]["outcome"], "done") << checked.stdout_text;
  said = on_ssh_host(config, "docker info --format '{{.ServerVersion}}'", &code);
  EXPECT_EQ(code, 0) << said;
}

}  // namespace
}  // namespace deepdock::e2e
