// Fidelity of deepdock-gcp-emulator: the installed Google Cloud CLI, pointed at it with
// api_endpoint_overrides/compute and an access-token file, creates, lists, describes and
// deletes an instance, and its requests arrive as they would at Google
// (design.md, "Real components in tests").

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulators/gcp/emulator_process.hpp"
#include "support/components.hpp"
#include "support/run_binary.hpp"

namespace deepdock::testing {
namespace {

using Json = nlohmann::json;

class GcloudFidelityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_program({"gcloud", "--version"}).exit_code != 0) {
      if (running_in_ci()) {
        FAIL() << "gcloud is not installed: the Google Cloud CLI is not a Debian package, so "
                  "this machine must have it (Google's google-cloud-cli)";
      }
      GTEST_SKIP() << "gcloud is not installed";
    }
    emulator_ =
        std::make_unique<EmulatorProcess>(std::string(DEEPDOCK_GCP_SCENARIOS) + "/basic.yaml");
    ASSERT_TRUE(emulator_->started());
    config_ = emulator_->dir() / "gcloud";
    std::ofstream(emulator_->dir() / "token") << "test-token\n";
    ASSERT_EQ(gcloud({"config", "set", "api_endpoint_overrides/compute",
                      emulator_->url() + "/compute/v1/"})
                  .exit_code,
              0);
    ASSERT_EQ(gcloud({"config", "set", "project", "deepdock-test"}).exit_code, 0);
    ASSERT_EQ(gcloud({"config", "set", "compute/zone", "us-west1-b"}).exit_code, 0);
  }

  // gcloud with a configuration of its own, no prompts, no usage reports, no update checks.
  BinaryRun gcloud(const std::vector<std::string>& args, const std::string& token_file = "") {
    std::vector<std::string> argv = {
        "env",
        "CLOUDSDK_CONFIG=" + config_.string(),
        "CLOUDSDK_CORE_DISABLE_PROMPTS=1",
        "CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true",
        "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=true",
        "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=" +
            (token_file.empty() ? (emulator_->dir() / "token").string() : token_file),
        "gcloud"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
  }

  BinaryRun create(const std::string& name, const std::string& zone) {
    return gcloud({"compute", "instances", "create", name, "--zone", zone, "--machine-type",
                   "n1-standard-4", "--accelerator", "type=nvidia-tesla-t4,count=1",
                   "--maintenance-policy", "TERMINATE", "--image-family", "ubuntu-2204-lts",
                   "--image-project", "ubuntu-os-cloud"});
  }

  // "METHOD path" of every request the emulator answered with `status`.
  std::vector<std::string> requests(int status = 200) const {
    std::vector<std::string> lines;
    for (const Json& request : emulator_->requests()) {
      if (request["status"] == status) {
        lines.push_back(request["method"].get<std::string>() + " " +
                        request["path"].get<std::string>());
      }
    }
    return lines;
  }

  std::unique_ptr<EmulatorProcess> emulator_;
  std::filesystem::path config_;
};

bool contains(const std::vector<std::string>& lines, const std::string& wanted) {
  return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

TEST_F(GcloudFidelityTest, CreatesListsDescribesAndDeletesAnInstance) {
  const std::string p = "/compute/v1/projects/deepdock-test";
  const BinaryRun created = create("fidelity-1", "us-west1-b");
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  EXPECT_NE(created.stderr_text.find("Created [" + emulator_->url() + p +
                                     "/zones/us-west1-b/instances/fidelity-1]"),
            std::string::npos)
      << created.stderr_text;
  EXPECT_NE(created.stdout_text.find("RUNNING"), std::string::npos) << created.stdout_text;

  const BinaryRun listed =
      gcloud({"compute", "instances", "list", "--format=value(name,zone.basename(),status)"});
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  EXPECT_EQ(listed.stdout_text, "fidelity-1\tus-west1-b\tRUNNING\n");

  const BinaryRun described = gcloud(
      {"compute", "instances", "describe", "fidelity-1", "--zone", "us-west1-b", "--format=json"});
  ASSERT_EQ(described.exit_code, 0) << described.stderr_text;
  const Json instance = Json::parse(described.stdout_text);
  EXPECT_EQ(instance["status"], "RUNNING");
  EXPECT_EQ(instance["scheduling"]["onHostMaintenance"], "TERMINATE");
  EXPECT_EQ(instance["guestAccelerators"][0]["acceleratorCount"], 1);
  const std::string machine_type = instance["machineType"];
  EXPECT_TRUE(machine_type.ends_with("/zones/us-west1-b/machineTypes/n1-standard-4"));

  const BinaryRun region =
      gcloud({"compute", "regions", "describe", "us-west1", "--format=json(quotas)"});
  ASSERT_EQ(region.exit_code, 0) << region.stderr_text;
  const Json quotas = Json::parse(region.stdout_text)["quotas"];
  EXPECT_TRUE(std::any_of(quotas.begin(), quotas.end(), [](const Json& quota) {
    return quota["metric"] == "NVIDIA_T4_GPUS" && quota["usage"] == 1.0;
  })) << region.stdout_text;

  const BinaryRun deleted =
      gcloud({"compute", "instances", "delete", "fidelity-1", "--zone", "us-west1-b", "--quiet"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_NE(deleted.stderr_text.find("Deleted ["), std::string::npos) << deleted.stderr_text;
  const BinaryRun after = gcloud({"compute", "instances", "list", "--format=value(name)"});
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_EQ(after.stdout_text, "");

  // What gcloud asked for, as it would ask Google.
  const std::vector<std::string> seen = requests();
  for (const std::string& wanted :
       {"GET " + p + "/zones/us-west1-b", "GET " + p, "POST " + p + "/zones/us-west1-b/instances",
        "GET " + p + "/aggregated/instances", "GET " + p + "/zones/us-west1-b/instances/fidelity-1",
        "GET " + p + "/regions/us-west1",
        "DELETE " + p + "/zones/us-west1-b/instances/fidelity-1"}) {
    EXPECT_TRUE(contains(seen, wanted)) << "gcloud's request " << wanted << " is not in the log";
  }
  const auto waits = std::count_if(seen.begin(), seen.end(), [&](const std::string& line) {
    return line.starts_with("POST " + p + "/zones/us-west1-b/operations/") &&
           line.ends_with("/wait");
  });
  EXPECT_GE(waits, 2) << "gcloud waits for its insert and delete operations";
  EXPECT_TRUE(requests(404).empty()) << "gcloud asked for something the emulator lacks";
}

TEST_F(GcloudFidelityTest, StockoutReachesGcloudAsTheOperationError) {
  const BinaryRun created = create("fidelity-2", "us-central1-a");
  EXPECT_NE(created.exit_code, 0);
  EXPECT_NE(created.stderr_text.find("code: ZONE_RESOURCE_POOL_EXHAUSTED"), std::string::npos)
      << created.stderr_text;
  const BinaryRun described =
      gcloud({"compute", "instances", "describe", "fidelity-2", "--zone", "us-central1-a"});
  EXPECT_NE(described.exit_code, 0);
  EXPECT_NE(described.stderr_text.find("fidelity-2' was not found"), std::string::npos)
      << described.stderr_text;
}

TEST_F(GcloudFidelityTest, UnknownTokenIsRefused) {
  const auto bad_token = emulator_->dir() / "bad-token";
  std::ofstream(bad_token) << "not-a-token\n";
  emulator_->clear_requests();  // setting compute/zone had gcloud look the zone up
  const BinaryRun described =
      gcloud({"compute", "instances", "describe", "fidelity-3", "--zone", "us-west1-b"},
             bad_token.string());
  EXPECT_NE(described.exit_code, 0);
  EXPECT_NE(described.stderr_text.find("Request had invalid authentication credentials"),
            std::string::npos)
      << described.stderr_text;
  // gcloud tries once more after a 401, then gives up; nothing got through.
  const std::vector<std::string> refused = requests(401);
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused[0],
            "GET /compute/v1/projects/deepdock-test/zones/us-west1-b/instances/fidelity-3");
  EXPECT_EQ(refused.size(), emulator_->requests().size());
  EXPECT_TRUE(requests(200).empty()) << emulator_->requests().dump();
}

}  // namespace
}  // namespace deepdock::testing
