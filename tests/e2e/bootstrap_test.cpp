// `deepdock bootstrap` against the SSH test host (a container with sshd and no Docker):
// Debian's docker.io is installed from the mirror for real and the engine started; the run
// is killed at each step boundary and run again, and each run goes on from where the last
// one stopped without repeating a finished step; a run with nothing to do is quick. The
// same plan as a script, run on the host, reads the same checkpoints, and both the script's
// `check` and `deepdock bootstrap --check` repair an engine that was stopped. The steps run
// on the host, by deepdock copied there (a bundle with its own C library and loader); a
// killed deepdock leaves no run behind on the host.
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

// The host-side runs of deepdock on the SSH test host ("" when there are none).
std::string host_side_runs(const std::string& config) {
  return on_ssh_host(config, "pgrep -af '[d]eepdock bootstrap --on-host' || true");
}

// Waits (a few seconds at most) until no host-side run is left on the host.
void expect_no_host_side_run(const std::string& config) {
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  std::string left = host_side_runs(config);
  while (!left.empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    left = host_side_runs(config);
  }
  EXPECT_EQ(left, "") << "a killed deepdock left its host side running";
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
  said = on_ssh_host(config,
                     "sudo rm -rf /var/lib/deepdock/bootstrap /var/lib/deepdock/host "
                     "/var/lib/deepdock/bin",
                     &code);
  ASSERT_EQ(code, 0) << said;

  const BinaryRun plan = testing::run_deepdock({"bootstrap", "--host", host, "--dry-run"}, env);
  ASSERT_EQ(plan.exit_code, 0) << plan.stderr_text;
  EXPECT_NE(plan.stdout_text.find("1. docker-engine"), std::string::npos) << plan.stdout_text;
  EXPECT_NE(plan.stdout_text.find("3. docker-group"), std::string::npos) << plan.stdout_text;

  const std::vector<std::string> args = {"bootstrap", "--host", host};
  {
    Spawned first(args, env, dir.path());
    kill_after_step(first, "docker-engine");
    EXPECT_NE(first.err().find("copying deepdock to"), std::string::npos) << first.err();
    expect_no_host_side_run(config);
  }
  {
    Spawned second(args, env, dir.path());
    kill_after_step(second, "engine-running");
    EXPECT_NE(second.err().find("✓ docker-engine: done before"), std::string::npos) << second.err();
    EXPECT_EQ(second.err().find("copying deepdock to"), std::string::npos)
        << "the bundle was there already:\n"
        << second.err();
    expect_no_host_side_run(config);
  }
  const BinaryRun third = testing::run_deepdock({"--json", "bootstrap", "--host", host}, env);
  ASSERT_EQ(third.exit_code, 0) << third.stderr_text;
  const auto steps = parse_json(third.stdout_text)["steps"];
  ASSERT_EQ(steps.size(), 3U) << third.stdout_text;
  EXPECT_EQ(steps[0]["outcome"], "done before");
  EXPECT_EQ(steps[1]["outcome"], "done before");
  EXPECT_NE(steps[2]["outcome"], "done before") << "the third step had not run yet";

  // The steps ran on the host, by the deepdock bundle behind the launcher, under the lock.
  const std::string launcher = on_ssh_host(config, "cat /var/lib/deepdock/bin/deepdock", &code);
  ASSERT_EQ(code, 0) << launcher;
  EXPECT_NE(launcher.find("/var/lib/deepdock/host/"), std::string::npos) << launcher;
  EXPECT_NE(launcher.find("--library-path"), std::string::npos) << launcher;
  const std::string holder =
      on_ssh_host(config, "sudo cat /var/lib/deepdock/bootstrap/.lock", &code);
  EXPECT_NE(holder.find("for " + host), std::string::npos) << holder;
  EXPECT_EQ(third.stderr_text.find("run from here over SSH"), std::string::npos)
      << third.stderr_text;

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

// A second run waits for the one that holds the host's lock, saying who that is; killed
// while it waits, it leaves nothing running on the host.
TEST(BootstrapTest, ASecondRunWaitsForTheFirstAndAKilledOneLeavesNothingOnTheHost) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  TempDir dir;
  const SshHostSession session(dir.path(), config);
  const std::string lock = "/var/lib/deepdock/bootstrap/.lock";
  int code = -1;
  std::string said =
      on_ssh_host(config,
                  fmt::format("sudo mkdir -p /var/lib/deepdock/bootstrap && echo 'pid 1, the test' "
                              "| sudo tee {} >/dev/null",
                              lock),
                  &code);
  ASSERT_EQ(code, 0) << said;
  // The lock held from the host for a while, as a running bootstrap holds it.
  const std::string hold = fmt::format(
      "ssh -n -F {} -o BatchMode=yes whale@127.0.0.1 'sudo flock {} sleep 30' >/dev/null 2>&1 & "
      "echo $!",
      util::shell_quote(config), lock);
  const std::string holder_pid = shell_output(hold, &code);
  ASSERT_EQ(code, 0) << holder_pid;
  {
    // --check: a bootstrapped host would otherwise be found done from its checkpoints,
    // without a host side at all.
    Spawned waiting({"bootstrap", "--host", host, "--check"}, session.env(), dir.path());
    const auto deadline = Clock::now() + std::chrono::minutes(2);
    while (waiting.err().find("waiting for another deepdock bootstrap here: pid 1, the test") ==
           std::string::npos) {
      ASSERT_LT(Clock::now(), deadline) << waiting.err();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_NE(host_side_runs(config), "") << "the host side waits there";
    waiting.signal(SIGKILL);
    EXPECT_EQ(waiting.wait(), 128 + SIGKILL);
  }
  expect_no_host_side_run(config);
  shell_output("kill " + holder_pid);
  on_ssh_host(config, "sudo pkill -f '^sleep 30$' || true");
}

}  // namespace
}  // namespace deepdock::e2e
