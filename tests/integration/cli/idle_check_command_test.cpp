// `deepdock idle-check` through the built binary against a fixture host tree (--root), with
// the poweroff replaced by a script that leaves a marker (DEEPDOCK_IDLE_POWEROFF_COMMAND).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/idle_monitor.hpp"
#include "support/idle_host_fixture.hpp"
#include "support/run_binary.hpp"

namespace deepdock::testing {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class IdleCheckCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host.set_cpu_usec(IdleHostFixture::docker_scope("c0ffee"), 7'000'000);
    host.set_cpu_usec("user.slice", 1'000);
    host.set_tcp({{.local_port = 8888, .remote_port = 0, .state = IdleHostFixture::kListen},
                  {.local_port = 22, .remote_port = 0, .state = IdleHostFixture::kListen}});
    host.write("poweroff.sh",
               "#!/bin/sh\necho \"powered off by $0\" > \"$(dirname \"$0\")/marker\"\n");
    ::chmod((host.root() / "poweroff.sh").c_str(), 0755);
  }

  fs::path state_dir() const { return host.root() / "state"; }
  fs::path marker() const { return host.root() / "marker"; }
  fs::path record_path() const { return state_dir() / app::kIdleStateKey; }

  // The record of a check of this boot whose last activity was `minutes_ago`.
  void backdate(int minutes_ago) const {
    fs::create_directories(state_dir());
    std::ofstream(record_path()) << nlohmann::json{
        {"boot_id", IdleHostFixture::kBootId},
        {"last_active", now_seconds() - int64_t{minutes_ago} * 60},
        {"last_check", now_seconds() - 60},
        {"cpu_usec",
         {{IdleHostFixture::docker_scope("c0ffee"), 7'000'000},
          {"user.slice", 1'000}}}}.dump();
  }

  BinaryRun idle_check(std::vector<std::string> extra = {},
                       const std::string& poweroff = "") const {
    std::vector<std::string> args{"idle-check", "--minutes", "60",          "--ports",  "8888,6006",
                                  "--root",     host.root(), "--state-dir", state_dir()};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string command =
        poweroff.empty() ? (host.root() / "poweroff.sh").string() : poweroff;
    return run_deepdock(args, {"DEEPDOCK_IDLE_POWEROFF_COMMAND=" + command});
  }

  IdleHostFixture host;
};

TEST_F(IdleCheckCommandTest, TheFirstCheckRecordsNowAndPowersNothingOff) {
  const auto run = idle_check();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_FALSE(fs::exists(marker()));
  EXPECT_NE(run.stdout_text.find("first check"), std::string::npos) << run.stdout_text;
  const auto record = nlohmann::json::parse(read_text(record_path()));
  EXPECT_NEAR(record["last_active"].get<double>(), static_cast<double>(now_seconds()), 5.0);
}

TEST_F(IdleCheckCommandTest, AnSshConnectionKeepsTheVmRunningPastTheLimit) {
  backdate(120);
  host.set_tcp({{.local_port = 22, .remote_port = 50022, .state = IdleHostFixture::kEstablished}});
  const auto run = idle_check();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_FALSE(fs::exists(marker()));
  EXPECT_NE(run.stdout_text.find("ssh (active): 1 connection to port 22"), std::string::npos)
      << run.stdout_text;
  const auto record = nlohmann::json::parse(read_text(record_path()));
  EXPECT_NEAR(record["last_active"].get<double>(), static_cast<double>(now_seconds()), 5.0);
}

TEST_F(IdleCheckCommandTest, IdlePastTheLimitRunsThePoweroffCommand) {
  backdate(61);
  const auto run = idle_check();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_TRUE(fs::exists(marker())) << run.stdout_text << run.stderr_text;
  EXPECT_NE(read_text(marker()).find("poweroff.sh"), std::string::npos);
  EXPECT_NE(run.stdout_text.find("powering off"), std::string::npos) << run.stdout_text;
  EXPECT_NE(run.stderr_text.find("no activity for 60 minutes: powering the VM off"),
            std::string::npos)
      << run.stderr_text;
}

TEST_F(IdleCheckCommandTest, IdleButShorterThanTheLimitPowersNothingOff) {
  backdate(30);
  const auto run = idle_check();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_FALSE(fs::exists(marker()));
  EXPECT_NE(run.stdout_text.find("idle for 30 min of 60"), std::string::npos) << run.stdout_text;
}

TEST_F(IdleCheckCommandTest, ADryRunDecidesButNeitherRecordsNorPowersOff) {
  backdate(61);
  const std::string before = read_text(record_path());
  const auto run = idle_check({"--dry-run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_FALSE(fs::exists(marker()));
  EXPECT_EQ(read_text(record_path()), before);
  const auto body = nlohmann::json::parse(run.stdout_text);
  EXPECT_EQ(body["idle"], true);
  EXPECT_EQ(body["powering_off"], false);
  EXPECT_EQ(body["limit_minutes"], 60);
  EXPECT_EQ(body["signals"].size(), 4U);
}

TEST_F(IdleCheckCommandTest, AFailingPoweroffIsAnError) {
  backdate(61);
  host.write("fail.sh", "#!/bin/sh\necho 'Failed to power off system' >&2\nexit 1\n");
  ::chmod((host.root() / "fail.sh").c_str(), 0755);
  const auto run = idle_check({}, (host.root() / "fail.sh").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stderr_text.find("Failed to power off system"), std::string::npos)
      << run.stderr_text;
}

TEST_F(IdleCheckCommandTest, ZeroMinutesIsAUsageError) {
  const auto run = run_deepdock({"idle-check", "--minutes", "0", "--root", host.root()});
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
}

TEST_F(IdleCheckCommandTest, TheCommandIsHiddenFromHelp) {
  const auto run = run_deepdock({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.stdout_text.find("bootstrap"), std::string::npos);
  EXPECT_EQ(run.stdout_text.find("idle-check"), std::string::npos) << run.stdout_text;
}

}  // namespace
}  // namespace deepdock::testing
