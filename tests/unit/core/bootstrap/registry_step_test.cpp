#include "core/bootstrap/registry_step.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "unit/core/bootstrap/bootstrap_test_support.hpp"
#include "util/shell_quote.hpp"

namespace deepdock::core {
namespace {

BootstrapHost ubuntu2204(std::string user) {
  return {.os_id = "ubuntu",
          .os_version = "22.04",
          .codename = "jammy",
          .kernel = "5.15.0-105-generic",
          .user = std::move(user)};
}

const BootstrapStep& step_named(const std::vector<BootstrapStep>& steps, const std::string& id) {
  const auto found = std::find_if(steps.begin(), steps.end(),
                                  [&](const BootstrapStep& step) { return step.id == id; });
  EXPECT_NE(found, steps.end()) << id;
  return *found;
}

std::vector<std::string> commands(const BootstrapStep& step) {
  std::vector<std::string> out;
  out.reserve(step.apply.size());
  for (const HostCommand& command : step.apply) {
    out.push_back(util::shell_join(command.argv));
  }
  return out;
}

TEST(RegistryStepTest, TheHostIsThePartBeforeTheFirstSlash) {
  const std::pair<const char*, const char*> cases[] = {
      {"us-west1-docker.pkg.dev/learning-deeply/envs", "us-west1-docker.pkg.dev"},
      {"gcr.io/proj", "gcr.io"},
      {"127.0.0.1:5000/envs", "127.0.0.1:5000"},
      {"registry.example.com", "registry.example.com"},
      {"", ""}};
  for (const auto& [registry, host] : cases) {
    EXPECT_EQ(registry_host(registry), host) << registry;
  }
}

TEST(RegistryStepTest, ArtifactRegistryAndGcrHostsAreGoogles) {
  for (const char* host :
       {"us-west1-docker.pkg.dev", "europe-docker.pkg.dev", "docker.us-central1.rep.pkg.dev",
        "gcr.io", "us.gcr.io", "eu.gcr.io", "asia.gcr.io", "marketplace.gcr.io"}) {
    EXPECT_TRUE(is_google_registry_host(host)) << host;
  }
  for (const char* host :
       {"", "127.0.0.1:5000", "localhost:5000", "registry.example.com", "docker.io", "ghcr.io",
        "pkg.dev", "evil-gcr.io", "gcr.io.example.com", "us-west1-docker.pkg.dev.example.com"}) {
    EXPECT_FALSE(is_google_registry_host(host)) << host;
  }
}

TEST(RegistryStepTest, NoRegistryOrAnotherRegistryGetsNoStep) {
  for (const char* registry :
       {"", "127.0.0.1:5000/envs", "registry.example.com/team/envs", "ghcr.io/owner"}) {
    EXPECT_TRUE(registry_credential_steps(ubuntu2204("whale"), registry).empty()) << registry;
  }
}

TEST(RegistryStepTest, AGoogleRegistryInstallsTheCliThenConfiguresTheHelperForRootAndTheUser) {
  const auto steps = registry_credential_steps(ubuntu2204("whale"),
                                               "us-west1-docker.pkg.dev/learning-deeply/envs");
  ASSERT_EQ(step_ids(steps), (std::vector<std::string>{"gcloud-cli", "registry-credentials"}));

  const BootstrapStep& credentials = steps[1];
  EXPECT_NE(credentials.title.find("for us-west1-docker.pkg.dev"), std::string::npos);
  ASSERT_EQ(credentials.checks.size(), 2U);
  EXPECT_EQ(util::shell_join(credentials.checks[0].command.argv), "cat /root/.docker/config.json");
  EXPECT_EQ(credentials.checks[0].stdout_contains, "\"us-west1-docker.pkg.dev\": \"gcloud\"");
  EXPECT_EQ(credentials.checks[1].command.argv.front(), "sudo");
  EXPECT_EQ(credentials.checks[1].command.argv[2], "whale");
  EXPECT_EQ(credentials.checks[1].stdout_contains, "\"us-west1-docker.pkg.dev\": \"gcloud\"");
  EXPECT_EQ(commands(credentials),
            (std::vector<std::string>{
                "env HOME=/root gcloud auth configure-docker us-west1-docker.pkg.dev --quiet",
                "sudo -u whale -H gcloud auth configure-docker us-west1-docker.pkg.dev --quiet"}));
}

TEST(RegistryStepTest, RootAloneConfiguresOnlyRootsClient) {
  for (const char* user : {"root", ""}) {
    const auto steps = registry_credential_steps(ubuntu2204(user), "gcr.io/proj");
    const BootstrapStep& credentials = step_named(steps, "registry-credentials");
    EXPECT_EQ(credentials.checks.size(), 1U) << user;
    EXPECT_EQ(
        commands(credentials),
        (std::vector<std::string>{"env HOME=/root gcloud auth configure-docker gcr.io --quiet"}))
        << user;
  }
}

TEST(RegistryStepTest, TheCliComesFromGooglesSignedAptRepositoryWhenTheHelperIsMissing) {
  const auto steps = registry_credential_steps(ubuntu2204("whale"), "eu.gcr.io/proj");
  const BootstrapStep& cli = step_named(steps, "gcloud-cli");
  ASSERT_EQ(cli.checks.size(), 1U);
  EXPECT_NE(cli.checks[0].command.argv.back().find("command -v docker-credential-gcloud"),
            std::string::npos);
  const auto run = commands(cli);
  EXPECT_NE(std::find(run.begin(), run.end(),
                      "gpg --dearmor --yes -o /usr/share/keyrings/cloud.google.gpg "
                      "/tmp/cloud.google.gpgkey"),
            run.end());
  const auto source = std::find_if(cli.apply.begin(), cli.apply.end(),
                                   [](const HostCommand& c) { return !c.stdin_data.empty(); });
  ASSERT_NE(source, cli.apply.end());
  EXPECT_EQ(source->stdin_data,
            "deb [signed-by=/usr/share/keyrings/cloud.google.gpg] "
            "https://packages.cloud.google.com/apt cloud-sdk main\n");
  EXPECT_EQ(run.back(),
            "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "
            "--no-install-recommends google-cloud-cli");
}

TEST(RegistryStepTest, PlanBootstrapAppendsTheStepsAfterTheEngineAndHashesThem) {
  const BootstrapHost host = ubuntu2204("whale");
  const auto none = plan_bootstrap(host, {});
  const auto pkgdev =
      plan_bootstrap(host, {.registry = "us-west1-docker.pkg.dev/learning-deeply/envs"});
  const auto gcr = plan_bootstrap(host, {.registry = "gcr.io/learning-deeply"});
  const auto local = plan_bootstrap(host, {.registry = "127.0.0.1:5000/envs"});
  ASSERT_TRUE(none && pkgdev && gcr && local);
  EXPECT_EQ(step_ids(*pkgdev),
            (std::vector<std::string>{"docker-engine", "engine-running", "docker-group",
                                      "gcloud-cli", "registry-credentials"}));
  EXPECT_EQ(step_ids(*local), step_ids(*none));
  for (size_t i = 0; i < none->size(); ++i) {
    EXPECT_EQ((*pkgdev)[i].hash, (*none)[i].hash) << (*none)[i].id;
  }
  // Another registry host changes the credentials step's hash, not the CLI's.
  EXPECT_EQ(step_named(*gcr, "gcloud-cli").hash, step_named(*pkgdev, "gcloud-cli").hash);
  EXPECT_NE(step_named(*gcr, "registry-credentials").hash,
            step_named(*pkgdev, "registry-credentials").hash);
  EXPECT_EQ(step_named(*gcr, "registry-credentials").hash.size(), 16U);
}

}  // namespace
}  // namespace deepdock::core
