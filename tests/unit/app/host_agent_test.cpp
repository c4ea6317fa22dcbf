#include "app/host_agent.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_host.hpp"

namespace deepdock::app {
namespace {

TEST(HostAgentTest, LauncherRunsTheBundleThroughItsOwnLoader) {
  EXPECT_EQ(launcher_script("/var/lib/deepdock/host/0123456789abcdef", "ld-linux-x86-64.so.2"),
            "#!/bin/sh\n"
            "# deepdock, with the C library and loader it was built with (written by deepdock "
            "bootstrap)\n"
            "exec /var/lib/deepdock/host/0123456789abcdef/lib/ld-linux-x86-64.so.2 --library-path "
            "/var/lib/deepdock/host/0123456789abcdef/lib "
            "/var/lib/deepdock/host/0123456789abcdef/bin/deepdock \"$@\"\n");
  EXPECT_EQ(bundle_dir("0123456789abcdef0123"), "/var/lib/deepdock/host/0123456789abcdef");
}

TEST(HostAgentTest, OptionsSurviveTheFileOnTheHost) {
  const HostAgentOptions options{
      .driver_branch = "535", .origin = "ssh://whale@203.0.113.7", .user = "whale"};
  const auto back = parse_options_json(options_json(options));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->driver_branch, "535");
  EXPECT_EQ(back->origin, "ssh://whale@203.0.113.7");
  EXPECT_EQ(back->user, "whale");
  EXPECT_FALSE(parse_options_json("not json"));
}

TEST(HostAgentTest, ResultsAndErrorsCrossAsOneLineEach) {
  const HostRunReport report{.results = {{"docker-engine", "done", 1.5}}, .reconnect = true};
  const std::string line = results_line(report);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto back = parse_results_line(line);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->results.size(), 1U);
  EXPECT_EQ(back->results[0].id, "docker-engine");
  EXPECT_EQ(back->results[0].outcome, "done");
  EXPECT_TRUE(back->reconnect);
  EXPECT_FALSE(parse_results_line("• [1/3] install the Docker engine"));

  const Error error{ErrorCode::kPrecondition, "step x failed\nwith two lines", "do y"};
  const std::string said = error_line(error);
  EXPECT_EQ(said.find('\n'), std::string::npos);
  const auto error_back = parse_error_line(said);
  ASSERT_TRUE(error_back);
  EXPECT_EQ(error_back->message, error.message);
  EXPECT_EQ(error_back->hint, "do y");
  EXPECT_EQ(error_back->exit_code(), 3);
}

// The host as the local side sees it: the bundle (present or not) and the host side's runs.
class HostAgentRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host.files["/proc/sys/kernel/random/boot_id"] = "boot-1\n";
    host.handler = [this](const std::vector<std::string>& argv,
                          const std::string& stdin_data) -> core::HostCommandResult {
      if (argv[0] == "sh" && argv[2].find("test -x") == 0) {
        return {bundle_present ? 0 : 1, "", ""};
      }
      if (argv[0] == "sh" && argv[2].find("tar -xzf -") != std::string::npos) {
        uploaded = stdin_data;
        bundle_present = true;
        return {0, "", ""};
      }
      if (argv[0] == "sh" && argv[2].find("cat >") != std::string::npos) {
        host.files[argv[4]] = stdin_data;
        return {0, "", ""};
      }
      if (argv[0] == kHostLauncher && argv[1] == "bootstrap" && argv[2] == "--help") {
        return {starts ? 0 : 127, "", starts ? "" : "cannot execute: required file not found"};
      }
      if (argv[0] == kHostLauncher && argv[2] == "--on-host") {
        ++host_runs;
        if (reboot_first && host_runs == 1) {
          return {kExitRebooting,
                  "• [1/1] load the driver\n" + std::string(kRebootPrefix) + "boot-1\n", ""};
        }
        return {0,
                "• [1/1] load the driver\n" +
                    results_line({.results = {{"driver-loaded", "already there", 0.1}}}) + "\n",
                ""};
      }
      return {0, "", ""};
    };
  }

  AgentBundle bundle() {
    return {.hash = "0123456789abcdef99",
            .interpreter = "ld-linux-x86-64.so.2",
            .archive = [this]() -> Result<std::string> {
              ++packed;
              return std::string("gzip bytes");
            }};
  }

  Result<std::vector<BootstrapStepResult>> run(const std::function<void(std::string_view)>& relay) {
    BootstrapDeps deps{.host = host,
                       .reconnect = []() -> Status { return {}; },
                       .wait_for_host = [this](std::chrono::seconds) -> Status {
                         host.files["/proc/sys/kernel/random/boot_id"] = "boot-2\n";
                         ++waits;
                         return {};
                       },
                       .sleep = [](std::chrono::seconds) {}};
    return run_host_agent(deps, {}, {.options = {.driver_branch = "535", .origin = "o"}}, relay);
  }

  testing::FakeHost host;
  bool bundle_present = false;
  bool starts = true;
  bool reboot_first = false;
  int host_runs = 0;
  int packed = 0;
  int waits = 0;
  std::string uploaded;
};

TEST_F(HostAgentRunTest, CopiesTheBundleOnceAndWritesTheLauncher) {
  const auto first = install_host_agent(host, bundle(), true);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, "");
  EXPECT_EQ(uploaded, "gzip bytes");
  EXPECT_NE(host.files[kHostLauncher].find("/var/lib/deepdock/host/0123456789abcdef/bin/deepdock"),
            std::string::npos);
  const auto second = install_host_agent(host, bundle(), true);
  ASSERT_TRUE(second);
  EXPECT_EQ(packed, 1) << "the bundle is there: nothing to pack or copy";
}

TEST_F(HostAgentRunTest, ABundleThatDoesNotStartIsANoteNotAnError) {
  starts = false;
  const auto result = install_host_agent(host, bundle(), true);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_NE(result->find("does not start"), std::string::npos) << *result;
}

TEST_F(HostAgentRunTest, WritesTheOptionsAndRelaysTheHostSidesLines) {
  std::vector<std::string> relayed;
  const auto results = run([&](std::string_view line) { relayed.emplace_back(line); });
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(results->size(), 1U);
  EXPECT_EQ((*results)[0].outcome, "already there");
  EXPECT_EQ(relayed, std::vector<std::string>{"• [1/1] load the driver"});
  const auto options = parse_options_json(host.files[kHostOptionsPath]);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->driver_branch, "535");
  EXPECT_EQ(host.raw.back().rfind("sudo -n /var/lib/deepdock/bin/deepdock bootstrap --on-host", 0),
            0U)
      << host.raw.back();
}

TEST_F(HostAgentRunTest, ARebootingHostIsWaitedForAndRunAgain) {
  reboot_first = true;
  const auto results = run([](std::string_view) {});
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_EQ(host_runs, 2);
  EXPECT_EQ(waits, 1);
}

TEST_F(HostAgentRunTest, TheHostSidesErrorBecomesOurs) {
  host.handler = [](const std::vector<std::string>& argv,
                    const std::string&) -> core::HostCommandResult {
    if (argv[0] == kHostLauncher) {
      return {3, error_line(Error{ErrorCode::kPrecondition, "no driver", "install one"}), ""};
    }
    return {0, "", ""};
  };
  const auto results = run([](std::string_view) {});
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().message, "no driver");
  EXPECT_EQ(results.error().exit_code(), 3);
}

}  // namespace
}  // namespace deepdock::app
