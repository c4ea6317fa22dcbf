#include "core/bootstrap/idle_stop_step.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/host/process.hpp"
#include "app/host_agent.hpp"
#include "support/golden.hpp"
#include "unit/core/bootstrap/bootstrap_test_support.hpp"
#include "util/sha256.hpp"
#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::core {
namespace {

BootstrapHost ubuntu2204_t4() {
  return {.os_id = "ubuntu",
          .os_version = "22.04",
          .codename = "jammy",
          .kernel = "5.15.0-105-generic",
          .user = "whale",
          .gpus = {{.name = "Tesla T4", .compute_capability = "7.5", .memory_mib = 15360}}};
}

BootstrapOptions gcp_options(std::optional<int> minutes,
                             std::vector<uint16_t> ports = {8888, 6006}) {
  return {.driver_branch = "535",
          .registry = "",
          .idle_stop_minutes = minutes,
          .idle_ports = std::move(ports)};
}

std::vector<BootstrapStep> plan(const BootstrapOptions& options,
                                const BootstrapHost& host = ubuntu2204_t4()) {
  auto steps = plan_bootstrap(host, options);
  EXPECT_TRUE(steps) << steps.error().message;
  return steps ? *steps : std::vector<BootstrapStep>{};
}

std::vector<std::string> commands(const BootstrapStep& step) {
  std::vector<std::string> out;
  out.reserve(step.apply.size());
  for (const HostCommand& command : step.apply) {
    out.push_back(util::shell_join(command.argv));
  }
  return out;
}

// The command of `step` that writes `path` (write_file_command: sh -c 'cat >"$1"' sh PATH).
const HostCommand& writer_of(const BootstrapStep& step, const std::string& path) {
  const auto found = std::find_if(step.apply.begin(), step.apply.end(), [&](const HostCommand& c) {
    return c.argv.size() == 5 && c.argv[2] == "cat >\"$1\"" && c.argv.back() == path;
  });
  EXPECT_NE(found, step.apply.end()) << path;
  return *found;
}

constexpr const char* kServicePath = "/etc/systemd/system/deepdock-idle-stop.service";
constexpr const char* kTimerPath = "/etc/systemd/system/deepdock-idle-stop.timer";

TEST(IdleStopStepTest, AHostWhoseIdleStopIsNotManagedGetsNoStep) {
  const auto steps = plan(gcp_options(std::nullopt));
  EXPECT_EQ(std::count_if(steps.begin(), steps.end(),
                          [](const BootstrapStep& s) { return s.id == "idle-stop"; }),
            0);
}

TEST(IdleStopStepTest, SixtyMinutesOnAT4VmMatchesItsGoldenCommands) {
  const auto steps = plan(gcp_options(60));
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.back().id, "idle-stop") << "last: it runs the deepdock installed before";
  testing::expect_golden("bootstrap/ubuntu2204_t4_r535_idle60.txt", bootstrap_plan_text(steps));
}

TEST(IdleStopStepTest, TheUnitsRunTheInstalledDeepdockEveryMinuteAfterBoot) {
  EXPECT_EQ(idle_stop_service_unit(45, {8888, 6006}),
            "[Unit]\nDescription=deepdock: power the VM off after 45 minutes with no activity\n\n"
            "[Service]\nType=oneshot\nExecStart=/var/lib/deepdock/bin/deepdock idle-check "
            "--minutes 45 --ports 8888,6006\n");
  EXPECT_EQ(idle_stop_service_unit(45, {}).find("--ports"), std::string::npos);
  const std::string timer = idle_stop_timer_unit(45);
  EXPECT_NE(timer.find("\nOnBootSec=5min\n"), std::string::npos);
  EXPECT_NE(timer.find("\nOnUnitActiveSec=1min\n"), std::string::npos);
  EXPECT_NE(timer.find("\nWantedBy=timers.target\n"), std::string::npos);
}

TEST(IdleStopStepTest, TheLauncherIsTheOneTheHostAgentInstalls) {
  EXPECT_STREQ(kIdleCheckLauncher, app::kHostLauncher);
}

TEST(IdleStopStepTest, TheStepWritesBothUnitsAndEnablesAndRestartsTheTimer) {
  const auto step = plan(gcp_options(60)).back();
  const auto applied = commands(step);
  EXPECT_EQ(applied.front(), "sh -c " + util::shell_quote(step.apply.front().argv[2]) +
                                 " sh /var/lib/deepdock/bin/deepdock");
  EXPECT_NE(std::find(applied.begin(), applied.end(), "rm -rf /var/lib/deepdock/idle"),
            applied.end())
      << "the idle time counts from the install";
  EXPECT_EQ(writer_of(step, kServicePath).stdin_data, idle_stop_service_unit(60, {8888, 6006}));
  EXPECT_EQ(writer_of(step, kTimerPath).stdin_data, idle_stop_timer_unit(60));
  EXPECT_EQ(std::vector<std::string>(applied.end() - 3, applied.end()),
            (std::vector<std::string>{"systemctl daemon-reload",
                                      "systemctl enable deepdock-idle-stop.timer",
                                      "systemctl restart deepdock-idle-stop.timer"}));
  EXPECT_EQ(util::shell_join(step.checks.back().command.argv),
            "systemctl is-active --quiet deepdock-idle-stop.timer");
}

// The content check, run for real on the files the step's own write commands make.
TEST(IdleStopStepTest, TheContentCheckPassesOnTheWrittenUnitsAndFailsOnAnEditedOne) {
  const auto step = plan(gcp_options(30)).back();
  const std::filesystem::path dir = ::testing::TempDir() + "/deepdock-idle-units";
  std::filesystem::create_directories(dir);
  const std::string service = (dir / "s.service").string();
  const std::string timer = (dir / "t.timer").string();
  const auto run = [](const std::vector<std::string>& argv, const std::string& input) {
    auto result = adapters::host::run_process(argv, input, std::chrono::seconds(10));
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : adapters::host::ProcessResult{};
  };
  const HostCommand& service_writer = writer_of(step, kServicePath);
  const HostCommand& timer_writer = writer_of(step, kTimerPath);
  auto write_service = service_writer.argv;
  write_service.back() = service;
  auto write_timer = timer_writer.argv;
  write_timer.back() = timer;
  ASSERT_EQ(run(write_service, service_writer.stdin_data).exit_code, 0);
  ASSERT_EQ(run(write_timer, timer_writer.stdin_data).exit_code, 0);

  const BootstrapCheck& content = step.checks[1];
  auto check_argv = content.command.argv;
  check_argv[check_argv.size() - 2] = service;
  check_argv.back() = timer;
  EXPECT_NE(run(check_argv, "").stdout_text.find(content.stdout_contains), std::string::npos);

  const std::string edited = util::replace_all(timer_writer.stdin_data, "1min", "10min");
  ASSERT_EQ(run(write_timer, edited).exit_code, 0);
  EXPECT_EQ(run(check_argv, "").stdout_text.find(content.stdout_contains), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(IdleStopStepTest, ChangingTheMinutesOrThePortsChangesOnlyThisStepsHash) {
  const auto sixty = plan(gcp_options(60));
  const auto thirty = plan(gcp_options(30));
  const auto other_ports = plan(gcp_options(60, {8890}));
  ASSERT_EQ(sixty.size(), thirty.size());
  ASSERT_EQ(sixty.size(), other_ports.size());
  for (size_t i = 0; i < sixty.size(); ++i) {
    const bool idle_step = sixty[i].id == "idle-stop";
    EXPECT_EQ(sixty[i].hash != thirty[i].hash, idle_step) << sixty[i].id;
    EXPECT_EQ(sixty[i].hash != other_ports[i].hash, idle_step) << sixty[i].id;
  }
}

TEST(IdleStopStepTest, ZeroRemovesATimerAnEarlierSpecInstalled) {
  const auto on = plan(gcp_options(60)).back();
  const auto off = plan(gcp_options(0)).back();
  EXPECT_EQ(off.id, "idle-stop") << "the same checkpoint: turning it off runs again";
  EXPECT_NE(off.hash, on.hash);
  EXPECT_EQ(util::shell_join(off.checks[0].command.argv),
            fmt::format("test '!' -e {}", kTimerPath));
  const auto applied = commands(off);
  EXPECT_NE(std::find(applied.begin(), applied.end(),
                      fmt::format("rm -f {} {}", kTimerPath, kServicePath)),
            applied.end());
  EXPECT_EQ(applied.back(), "systemctl daemon-reload");
}

TEST(IdleStopStepTest, WithoutSystemdZeroIsNoStepAndAnIdleStopIsIncompatible) {
  BootstrapHost host = ubuntu2204_t4();
  host.systemd = false;
  const auto off = plan(gcp_options(0), host);
  EXPECT_EQ(off.back().id, "docker-group");
  const auto on = plan_bootstrap(host, gcp_options(60));
  ASSERT_FALSE(on);
  EXPECT_EQ(on.error().code, ErrorCode::kIncompatible);
  EXPECT_NE(on.error().message.find("systemd"), std::string::npos);
  EXPECT_NE(on.error().hint.find("idle_stop_minutes to 0"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
