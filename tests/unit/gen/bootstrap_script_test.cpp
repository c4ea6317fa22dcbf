#include "gen/bootstrap_script.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

#include "support/golden.hpp"

namespace deepdock::gen {
namespace {

std::vector<core::BootstrapStep> ubuntu_t4_plan(std::string registry = {},
                                                std::string user = "root") {
  const core::BootstrapHost host{
      .os_id = "ubuntu",
      .os_version = "22.04",
      .codename = "jammy",
      .kernel = "5.15.0-105-generic",
      .user = std::move(user),
      .gpus = {{.name = "Tesla T4", .compute_capability = "7.5", .memory_mib = 15360}}};
  auto steps =
      *core::plan_bootstrap(host, {.driver_branch = "535", .registry = std::move(registry)});
  steps.push_back(boot_check_step(steps, "ubuntu 22.04 with a Tesla T4"));
  return steps;
}

// `sh -n`: the script parses.
int syntax_check(const std::string& script) {
  const std::string path = ::testing::TempDir() + "/deepdock-bootstrap-script.sh";
  std::ofstream(path) << script;
  const int status = std::system(("sh -n " + path).c_str());
  std::remove(path.c_str());
  return status;
}

TEST(BootstrapScriptTest, TheUbuntuT4StartupScriptMatchesItsGoldenFile) {
  const auto steps = ubuntu_t4_plan();
  const std::string script = bootstrap_script(steps, "ubuntu 22.04 with a Tesla T4");
  testing::expect_golden("bootstrap/ubuntu2204_t4_r535.startup.sh", script);
  EXPECT_EQ(syntax_check(script), 0);
}

TEST(BootstrapScriptTest, TheRegistryCredentialStepsRenderToAScriptThatParses) {
  const auto steps = ubuntu_t4_plan("us-west1-docker.pkg.dev/learning-deeply/envs", "whale");
  const std::string script = bootstrap_script(steps, "ubuntu 22.04 with a Tesla T4");
  EXPECT_EQ(syntax_check(script), 0);
  EXPECT_NE(script.find("\ncheck_registry_credentials() {\n"
                        "  cat /root/.docker/config.json 2>/dev/null | grep -qF -- "
                        "'\"us-west1-docker.pkg.dev\": \"gcloud\"' || return 1\n"),
            std::string::npos);
  EXPECT_NE(script.find("  sudo -u whale -H gcloud auth configure-docker "
                        "us-west1-docker.pkg.dev --quiet || return 1\n"),
            std::string::npos);
  EXPECT_NE(script.find("  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o "
                        "DPkg::Lock::Timeout=600 install -y --no-install-recommends "
                        "google-cloud-cli || return 1\n"),
            std::string::npos);
  EXPECT_NE(script.find("\nstep gcloud-cli "), std::string::npos);
  EXPECT_LT(script.find("\nstep gcloud-cli "), script.find("\nstep registry-credentials "));
}

TEST(BootstrapScriptTest, EveryStepRunsInOrderWithItsHash) {
  const auto steps = ubuntu_t4_plan();
  const std::string script = bootstrap_script(steps, "x");
  size_t last = 0;
  for (const auto& step : steps) {
    const size_t at = script.find("\nstep " + step.id + " " + step.hash);
    ASSERT_NE(at, std::string::npos) << step.id;
    EXPECT_GT(at, last) << step.id << " out of order";
    last = at;
  }
  EXPECT_NE(script.find("\nstep driver-loaded " + steps[4].hash + " 1"), std::string::npos)
      << "the reboot step is marked";
}

TEST(BootstrapScriptTest, AptCommandsWaitForTheLockAndFilesAreWrittenFromQuotedText) {
  const std::string script = bootstrap_script(ubuntu_t4_plan(), "x");
  EXPECT_NE(script.find("  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get"),
            std::string::npos);
  EXPECT_NE(script.find("printf '%s' 'deb [signed-by=/usr/share/keyrings/"
                        "nvidia-container-toolkit-keyring.gpg] https://nvidia.github.io/"
                        "libnvidia-container/stable/deb/$(ARCH) /"),
            std::string::npos)
      << "$(ARCH) stays literal for apt";
}

TEST(BootstrapScriptTest, TheBootCheckStepInstallsTheScriptAndAUnitThatChecksAtBoot) {
  const auto steps = ubuntu_t4_plan();
  const core::BootstrapStep& boot = steps.back();
  EXPECT_EQ(boot.id, "boot-check");
  ASSERT_EQ(boot.apply.size(), 5U);
  EXPECT_NE(boot.apply[1].stdin_data.find("#!/bin/sh"), std::string::npos);
  EXPECT_EQ(boot.apply[1].stdin_data.find("step boot-check"), std::string::npos)
      << "the installed script holds the steps before it, not itself";
  EXPECT_NE(boot.apply[2].stdin_data.find("ExecStart=/bin/sh /var/lib/deepdock/bootstrap.sh "
                                          "check"),
            std::string::npos);
  // A different plan is a different fingerprint: the step runs again and reinstalls.
  auto other = steps;
  other.pop_back();
  other[2].hash = "0000000000000000";
  EXPECT_NE(boot_check_step(other, "x").hash, boot.hash);
}

}  // namespace
}  // namespace deepdock::gen
