// The boot-check step when deepdock is installed on the host: its unit runs that deepdock,
// its check looks for that in the unit file, and switching between the two installs again.
#include <gtest/gtest.h>

#include "gen/bootstrap_script.hpp"

namespace deepdock::gen {
namespace {

std::vector<core::BootstrapStep> debian12_plan() {
  const core::BootstrapHost host{
      .os_id = "debian", .os_version = "12", .codename = "bookworm", .user = "whale"};
  return *core::plan_bootstrap(host, {});
}

constexpr const char* kOnHost = "/var/lib/deepdock/bin/deepdock bootstrap --check --on-host";

TEST(BootCheckUnitTest, WithDeepdockOnTheHostTheUnitRunsItsCheck) {
  const auto steps = debian12_plan();
  const core::BootstrapStep boot = boot_check_step(steps, "ssh://whale@h", kOnHost);
  ASSERT_EQ(boot.apply.size(), 5U);
  const std::string& unit = boot.apply[2].stdin_data;
  EXPECT_NE(unit.find(std::string("\nExecStart=") + kOnHost + "\n"), std::string::npos) << unit;
  EXPECT_EQ(unit.find("bootstrap.sh"), std::string::npos) << unit;
  EXPECT_NE(boot.apply[1].stdin_data.find("#!/bin/sh"), std::string::npos)
      << "the script is still written, for whoever runs it by hand";
  ASSERT_EQ(boot.checks.size(), 3U);
  EXPECT_EQ(boot.checks.back().command.argv,
            (std::vector<std::string>{"grep", "-qxF", std::string("ExecStart=") + kOnHost,
                                      "/etc/systemd/system/deepdock-bootstrap-check.service"}));
}

TEST(BootCheckUnitTest, TheScriptUnitAndTheDeepdockUnitAreDifferentSteps) {
  const auto steps = debian12_plan();
  const core::BootstrapStep script = boot_check_step(steps, "x");
  const core::BootstrapStep on_host = boot_check_step(steps, "x", kOnHost);
  EXPECT_NE(script.hash, on_host.hash);
  EXPECT_EQ(script.checks.size(), 2U);
  EXPECT_NE(script.apply[2].stdin_data.find("ExecStart=/bin/sh /var/lib/deepdock/bootstrap.sh "
                                            "check"),
            std::string::npos);
}

}  // namespace
}  // namespace deepdock::gen
