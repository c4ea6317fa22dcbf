#include "adapters/gcp/gcloud_config.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using test::FakeTransports;
using test::ScratchDir;

constexpr std::string_view kWorkConfig =
    "[core]\naccount = me@example.com\nproject = work-project\n\n[compute]\n"
    "zone = us-west1-b\nregion = us-west1\n";

TEST(GcloudConfigTest, IniSectionsAndKeysAreRead) {
  const auto ini = parse_ini(
      "# comment\n[Core]\nProject = p1 \n; other\n[compute]\nzone: z1\n"
      "junk line\n");
  EXPECT_EQ(ini.at("core").at("project"), "p1");
  EXPECT_EQ(ini.at("compute").at("zone"), "z1");
  EXPECT_EQ(ini.size(), 2U);
}

TEST(GcloudConfigTest, ActiveConfigurationGivesProjectZoneAndRegion) {
  const ScratchDir dir;
  dir.write("gcloud/active_config", "work\n");
  dir.write("gcloud/configurations/config_work", std::string(kWorkConfig));
  FakeTransports transports;
  const AuthContext context =
      test::test_context(transports, {{"CLOUDSDK_CONFIG", (dir.path() / "gcloud").string()}});
  auto config = read_gcloud_config(context);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->name, "work");
  ASSERT_TRUE(config->project && config->zone && config->region && config->account);
  EXPECT_EQ(config->project->value, "work-project");
  EXPECT_EQ(config->zone->value, "us-west1-b");
  EXPECT_EQ(config->region->value, "us-west1");
  EXPECT_EQ(config->account->value, "me@example.com");
  EXPECT_NE(config->project->origin.find("gcloud configuration \"work\""), std::string::npos);
}

TEST(GcloudConfigTest, EnvironmentOverridesTheFileAndTheActiveName) {
  const ScratchDir dir;
  dir.write("home/.config/gcloud/active_config", "work");
  dir.write("home/.config/gcloud/configurations/config_work", std::string(kWorkConfig));
  dir.write("home/.config/gcloud/configurations/config_other", "[core]\nproject = other\n");
  FakeTransports transports;
  const AuthContext context =
      test::test_context(transports, {{"HOME", (dir.path() / "home").string()},
                                      {"CLOUDSDK_ACTIVE_CONFIG_NAME", "other"},
                                      {"CLOUDSDK_COMPUTE_ZONE", "europe-west4-a"}});
  auto config = read_gcloud_config(context);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->name, "other");
  EXPECT_EQ(config->project->value, "other");
  EXPECT_EQ(config->zone->value, "europe-west4-a");
  EXPECT_EQ(config->zone->origin, "CLOUDSDK_COMPUTE_ZONE");
  EXPECT_FALSE(config->region);

  const AuthContext project_override = test::test_context(
      transports, {{"HOME", (dir.path() / "home").string()}, {"CLOUDSDK_CORE_PROJECT", "env-p"}});
  auto overridden = read_gcloud_config(project_override);
  ASSERT_TRUE(overridden);
  EXPECT_EQ(overridden->name, "work");
  EXPECT_EQ(overridden->project->value, "env-p");
  EXPECT_EQ(overridden->project->origin, "CLOUDSDK_CORE_PROJECT");
}

TEST(GcloudConfigTest, NoConfigurationMeansNoDefaults) {
  const ScratchDir dir;
  FakeTransports transports;
  const AuthContext context =
      test::test_context(transports, {{"CLOUDSDK_CONFIG", dir.path().string()}});
  auto config = read_gcloud_config(context);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->name, "default");
  EXPECT_FALSE(config->project || config->zone || config->region || config->account);
}

}  // namespace
}  // namespace deepdock::adapters::gcp
