#include "app/bootstrap_host.hpp"

#include <gtest/gtest.h>

#include <set>

#include "fakes/fake_host.hpp"

namespace deepdock::app {
namespace {

// A Debian 12 host without systemd, simulated: what is installed, whether the engine runs,
// the user's groups.
class BootstrapHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host.handler = [this](const std::vector<std::string>& argv,
                          const std::string&) -> core::HostCommandResult {
      const std::string line = util::shell_join(argv);
      if (line == "dockerd --version") {
        return installed.contains("docker.io")
                   ? core::HostCommandResult{0, "Docker version 20.10.24+dfsg1", ""}
                   : core::HostCommandResult{127, "", "dockerd: command not found"};
      }
      if (line.find("apt-get -o DPkg::Lock::Timeout=600 install") != std::string::npos) {
        if (lock_failures > 0) {
          --lock_failures;
          return {100, "", "E: Could not get lock /var/lib/dpkg/lock-frontend"};
        }
        if (fail_install) {
          return {100, "", "E: Unable to locate package docker.io"};
        }
        installed.insert(argv.back());
        return {0, "Setting up docker.io ...", ""};
      }
      if (argv[0] == "docker") {
        return {engine_running ? 0 : 1, engine_running ? "20.10.24" : "", ""};
      }
      if (argv[0] == "sh" && argv[2].find("setsid dockerd") != std::string::npos) {
        engine_running = installed.contains("docker.io");
        return {0, "", ""};
      }
      if (line == "id -nG whale") {
        return {0, groups, ""};
      }
      if (line == "usermod -aG docker whale") {
        groups += " docker";
        return {0, "", ""};
      }
      return {0, "", ""};
    };
    core::BootstrapHost facts{.os_id = "debian",
                              .os_version = "12",
                              .codename = "bookworm",
                              .kernel = "6.1.0-21-amd64",
                              .systemd = false,
                              .user = "whale"};
    steps = *core::plan_bootstrap(facts, {});
  }

  Result<std::vector<BootstrapStepResult>> run() {
    BootstrapObserver observer;
    BootstrapDeps deps{.host = host,
                       .reconnect = [this]() -> Status {
                         ++reconnects;
                         return {};
                       },
                       .wait_for_host = [](std::chrono::seconds) -> Status { return {}; },
                       .sleep = [this](std::chrono::seconds) { ++sleeps; }};
    return run_bootstrap(steps, deps, {}, observer);
  }

  static std::vector<std::string> outcomes(const std::vector<BootstrapStepResult>& results) {
    std::vector<std::string> out;
    out.reserve(results.size());
    for (const auto& r : results) {
      out.push_back(r.id + ": " + r.outcome);
    }
    return out;
  }

  testing::FakeHost host;
  std::vector<core::BootstrapStep> steps;
  std::set<std::string> installed;
  bool engine_running = false;
  bool fail_install = false;
  int lock_failures = 0;
  std::string groups = "whale";
  int reconnects = 0;
  int sleeps = 0;
};

TEST_F(BootstrapHostTest, ABareHostGetsEveryStepAndACheckpointForEach) {
  const auto results = run();
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_EQ(outcomes(*results),
            (std::vector<std::string>{"docker-engine: done", "engine-running: done",
                                      "docker-group: done"}));
  EXPECT_TRUE(engine_running);
  EXPECT_EQ(reconnects, 1) << "new groups need a new session";
  for (const auto& step : steps) {
    EXPECT_EQ(host.files[std::string(core::kBootstrapStateDir) + "/" + step.id], step.hash + "\n");
  }
}

TEST_F(BootstrapHostTest, ASecondRunRepeatsNothing) {
  ASSERT_TRUE(run());
  host.ran.clear();
  const auto again = run();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(outcomes(*again),
            (std::vector<std::string>{"docker-engine: done before", "engine-running: done before",
                                      "docker-group: done before"}));
  EXPECT_EQ(host.count("env DEBIAN_FRONTEND"), 0U);
  EXPECT_EQ(host.count("sh -c 'setsid dockerd"), 0U);
  EXPECT_EQ(host.ran.size(), steps.size()) << "one checkpoint read per step";
}

TEST_F(BootstrapHostTest, AFailedStepStopsTheRunAndTheNextRunResumesThere) {
  fail_install = true;
  const auto failed = run();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("step docker-engine"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find("Unable to locate package"), std::string::npos);
  EXPECT_NE(failed.error().hint.find("finished steps are not repeated"), std::string::npos);
  EXPECT_FALSE(host.files.contains(std::string(core::kBootstrapStateDir) + "/docker-engine"));
  fail_install = false;
  const auto resumed = run();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(outcomes(*resumed).front(), "docker-engine: done");
}

TEST_F(BootstrapHostTest, InterruptedAfterAStepTheNextRunStartsAtTheFollowingOne) {
  // The first step finished and was recorded; the run was killed before the second.
  ASSERT_TRUE(run());
  host.files.erase(std::string(core::kBootstrapStateDir) + "/engine-running");
  host.files.erase(std::string(core::kBootstrapStateDir) + "/docker-group");
  engine_running = false;
  host.ran.clear();
  const auto resumed = run();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(outcomes(*resumed),
            (std::vector<std::string>{"docker-engine: done before", "engine-running: done",
                                      "docker-group: already there"}));
  EXPECT_EQ(host.count("env DEBIAN_FRONTEND"), 0U) << "the engine is not installed again";
}

TEST_F(BootstrapHostTest, WhatIsAlreadyThereIsRecordedWithoutRunning) {
  installed.insert("docker.io");
  engine_running = true;
  groups = "whale docker";
  const auto results = run();
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_EQ(outcomes(*results), (std::vector<std::string>{"docker-engine: already there",
                                                          "engine-running: already there",
                                                          "docker-group: already there"}));
  EXPECT_EQ(host.count("env DEBIAN_FRONTEND"), 0U);
  EXPECT_EQ(reconnects, 0);
}

TEST_F(BootstrapHostTest, AHeldDpkgLockIsWaitedForNotAFailure) {
  lock_failures = 2;
  const auto results = run();
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_EQ(sleeps, 2);
  EXPECT_EQ(host.count("env DEBIAN_FRONTEND"), 3U);
}

TEST_F(BootstrapHostTest, AStepWhoseCheckStillFailsAfterRunningIsAnError) {
  host.handler = [inner = host.handler](const std::vector<std::string>& argv,
                                        const std::string& in) -> core::HostCommandResult {
    if (argv[0] == "sh" && argv[2].find("setsid dockerd") != std::string::npos) {
      return {0, "", ""};  // started, but the engine never answers
    }
    return inner(argv, in);
  };
  const auto results = run();
  ASSERT_FALSE(results);
  EXPECT_NE(results.error().message.find("step engine-running"), std::string::npos)
      << results.error().message;
  EXPECT_NE(results.error().message.find("its check still fails"), std::string::npos);
}

TEST_F(BootstrapHostTest, CommandsRunAsRootThroughSudo) {
  ASSERT_TRUE(run());
  ASSERT_FALSE(host.raw.empty());
  for (const std::string& command : host.raw) {
    EXPECT_EQ(command.rfind("sudo -n ", 0), 0U) << command;
  }
}

// On the host itself (`bootstrap --on-host`) a reboot cannot be waited for: it is started in
// the background, the step is left unrecorded, and the run ends with kExitRebooting.
TEST_F(BootstrapHostTest, OnTheHostARebootEndsTheRunWithItsExitStatus) {
  core::BootstrapStep reboot_step{.id = "driver-loaded",
                                  .title = "load the driver",
                                  .checks = {{.command = {.argv = {"false"}}}},
                                  .apply = {{.argv = {"reboot"}}},
                                  .reboots = true,
                                  .hash = "h"};
  host.handler = [](const std::vector<std::string>& argv,
                    const std::string&) -> core::HostCommandResult {
    return {argv[0] == "false" ? 1 : 0, "", ""};
  };
  BootstrapObserver observer;
  BootstrapDeps deps{.host = host,
                     .reconnect = []() -> Status { return {}; },
                     .wait_for_host = [](std::chrono::seconds) -> Status {
                       return fail(ErrorCode::kFailure, "must not wait");
                     },
                     .sleep = [](std::chrono::seconds) {}};
  BootstrapSettings settings;
  settings.reboot_ends_run = true;
  const auto results = run_bootstrap({reboot_step}, deps, settings, observer);
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().exit_code(), kExitRebooting) << results.error().message;
  EXPECT_EQ(host.count("sh -c '(sleep 3; exec \"$@\")"), 1U) << util::join(host.ran, "\n");
  EXPECT_EQ(host.count("reboot"), 0U) << "the reboot starts after the run has ended";
  EXPECT_FALSE(host.files.contains(std::string(core::kBootstrapStateDir) + "/driver-loaded"));
}

}  // namespace
}  // namespace deepdock::app
