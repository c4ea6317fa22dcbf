// deepdock-gcp-emulator, started as a child process with the scenarios of
// tests/emulators/gcp/scenarios, answering as Compute Engine does (api-reference A).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "emulators/gcp/emulator_process.hpp"

namespace deepdock::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kProject = "/compute/v1/projects/deepdock-test";

std::string scenario(const std::string& name) {
  return std::string(DEEPDOCK_GCP_SCENARIOS) + "/" + name;
}

struct Answer {
  int status = 0;
  Json body;
};

Answer get(const EmulatorProcess& emulator, const std::string& path,
           const std::string& token = "test-token") {
  auto client = emulator.client(token);
  const auto res = client.Get(path);
  if (!res) {
    return {};
  }
  return {res->status, Json::parse(res->body, nullptr, false)};
}

Answer send(const EmulatorProcess& emulator, const std::string& method, const std::string& path,
            const Json& body = Json::object()) {
  auto client = emulator.client();
  const auto res =
      method == "DELETE" ? client.Delete(path) : client.Post(path, body.dump(), "application/json");
  if (!res) {
    return {};
  }
  return {res->status, Json::parse(res->body, nullptr, false)};
}

Json t4_instance(const std::string& name, const std::string& maintenance = "TERMINATE") {
  return {{"name", name},
          {"machineType", "zones/us-west1-b/machineTypes/n1-standard-4"},
          {"guestAccelerators",
           {{{"acceleratorType", "zones/us-west1-b/acceleratorTypes/nvidia-tesla-t4"},
             {"acceleratorCount", 1}}}},
          {"scheduling", {{"onHostMaintenance", maintenance}, {"automaticRestart", true}}},
          {"disks",
           {{{"boot", true},
             {"autoDelete", true},
             {"initializeParams",
              {{"sourceImage", "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts"},
               {"diskSizeGb", "100"}}}}}},
          {"metadata",
           {{"items",
             {{{"key", "startup-script"}, {"value", "#!/bin/sh\necho hello\n"}},
              {{"key", "ssh-keys"}, {"value", "whale:ssh-ed25519 AAAA test"}}}}}},
          {"networkInterfaces",
           {{{"network", "global/networks/default"},
             {"accessConfigs", {{{"type", "ONE_TO_ONE_NAT"}, {"name", "External NAT"}}}}}}}};
}

// POSTs an insert in `zone` (the body's zone paths say us-west1-b; only the path decides).
Answer insert(const EmulatorProcess& emulator, const std::string& zone, const Json& body) {
  return send(emulator, "POST", std::string(kProject) + "/zones/" + zone + "/instances", body);
}

Json wait_done(const EmulatorProcess& emulator, const Json& operation) {
  const std::string path = std::string(kProject) + "/zones/" +
                           operation["zone"].get<std::string>().substr(
                               operation["zone"].get<std::string>().rfind('/') + 1) +
                           "/operations/" + operation["name"].get<std::string>();
  Answer answer = send(emulator, "POST", path + "/wait");
  for (int i = 0; i < 5 && answer.body.value("status", "") != "DONE"; ++i) {
    answer = send(emulator, "POST", path + "/wait");
  }
  return answer.body;
}

double quota(const Json& quotas, const std::string& metric, const char* field) {
  for (const Json& item : quotas) {
    if (item["metric"] == metric) {
      return item[field].get<double>();
    }
  }
  ADD_FAILURE() << "no quota " << metric << " in " << quotas.dump();
  return -1;
}

class GcpEmulatorTest : public ::testing::Test {
 protected:
  void start(const std::string& name, const std::vector<std::string>& extra = {}) {
    emulator_ = std::make_unique<EmulatorProcess>(scenario(name), extra);
    ASSERT_TRUE(emulator_->started()) << "deepdock-gcp-emulator did not start with " << name;
  }
  std::unique_ptr<EmulatorProcess> emulator_;
};

TEST_F(GcpEmulatorTest, RequestsWithoutAnAcceptedTokenGet401) {
  start("basic.yaml");
  const Answer none = get(*emulator_, std::string(kProject) + "/zones", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body["error"]["code"], 401);
  EXPECT_EQ(none.body["error"]["errors"][0]["reason"], "required");
  const Answer wrong = get(*emulator_, std::string(kProject) + "/zones", "not-a-token");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body["error"]["errors"][0]["reason"], "authError");
  const Answer right = get(*emulator_, std::string(kProject) + "/zones");
  ASSERT_EQ(right.status, 200);
  EXPECT_EQ(right.body["items"].size(), 3U);
}

TEST_F(GcpEmulatorTest, InsertConsumesQuotaAndDeleteFreesIt) {
  start("basic.yaml");
  const std::string region = std::string(kProject) + "/regions/us-west1";
  Json quotas = get(*emulator_, region).body["quotas"];
  EXPECT_EQ(quota(quotas, "NVIDIA_T4_GPUS", "limit"), 1.0);
  EXPECT_EQ(quota(quotas, "NVIDIA_T4_GPUS", "usage"), 0.0);

  const Answer created = insert(*emulator_, "us-west1-b", t4_instance("gpu-1"));
  ASSERT_EQ(created.status, 200) << created.body.dump();
  EXPECT_EQ(created.body["kind"], "compute#operation");
  EXPECT_EQ(created.body["operationType"], "insert");
  const Json done = wait_done(*emulator_, created.body);
  EXPECT_EQ(done["status"], "DONE");
  EXPECT_FALSE(done.contains("error")) << done.dump();

  quotas = get(*emulator_, region).body["quotas"];
  EXPECT_EQ(quota(quotas, "NVIDIA_T4_GPUS", "usage"), 1.0);
  EXPECT_EQ(quota(quotas, "CPUS", "usage"), 4.0);
  EXPECT_EQ(quota(get(*emulator_, kProject).body["quotas"], "GPUS_ALL_REGIONS", "usage"), 1.0);
  const Json instance =
      get(*emulator_, std::string(kProject) + "/zones/us-west1-b/instances/gpu-1").body;
  EXPECT_EQ(instance["status"], "RUNNING");
  EXPECT_FALSE(instance["networkInterfaces"][0]["accessConfigs"][0].value("natIP", "").empty());

  // The region's one T4 is taken: the next insert fails in its operation, and no instance stays.
  const Answer second = insert(*emulator_, "us-west1-b", t4_instance("gpu-2"));
  ASSERT_EQ(second.status, 200);
  const Json failed = wait_done(*emulator_, second.body);
  ASSERT_TRUE(failed.contains("error")) << failed.dump();
  EXPECT_EQ(failed["error"]["errors"][0]["code"], "QUOTA_EXCEEDED");
  EXPECT_EQ(failed["error"]["errors"][0]["message"],
            "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 1.0 in region us-west1.");
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-west1-b/instances/gpu-2").status,
            404);

  const Answer deleted =
      send(*emulator_, "DELETE", std::string(kProject) + "/zones/us-west1-b/instances/gpu-1");
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(wait_done(*emulator_, deleted.body)["status"], "DONE");
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-west1-b/instances/gpu-1").status,
            404);
  quotas = get(*emulator_, region).body["quotas"];
  EXPECT_EQ(quota(quotas, "NVIDIA_T4_GPUS", "usage"), 0.0);
  EXPECT_EQ(quota(quotas, "CPUS", "usage"), 0.0);
}

TEST_F(GcpEmulatorTest, StockedOutZoneFailsInTheOperation) {
  start("basic.yaml");
  Json body = t4_instance("gpu-1");
  const Answer created = insert(*emulator_, "us-central1-a", body);
  ASSERT_EQ(created.status, 200) << "a stockout is not a synchronous error: "
                                 << created.body.dump();
  EXPECT_NE(created.body["status"], "DONE");
  const Json done = wait_done(*emulator_, created.body);
  ASSERT_TRUE(done.contains("error")) << done.dump();
  EXPECT_EQ(done["error"]["errors"][0]["code"], "ZONE_RESOURCE_POOL_EXHAUSTED");
  EXPECT_EQ(done["httpErrorStatusCode"], 503);
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-central1-a/instances/gpu-1").status,
            404);
}

TEST_F(GcpEmulatorTest, AcceleratorNotOfferedAndLiveMigrationAreSynchronousErrors) {
  start("basic.yaml");
  const Answer not_offered = insert(*emulator_, "us-central1-f", t4_instance("gpu-1"));
  EXPECT_EQ(not_offered.status, 404);
  EXPECT_EQ(not_offered.body["error"]["message"],
            "The resource 'projects/deepdock-test/zones/us-central1-f/acceleratorTypes/"
            "nvidia-tesla-t4' was not found");
  const Answer migrate = insert(*emulator_, "us-west1-b", t4_instance("gpu-1", "MIGRATE"));
  EXPECT_EQ(migrate.status, 400);
  EXPECT_NE(migrate.body["error"]["message"].get<std::string>().find("live migration"),
            std::string::npos);
  const Json offered = get(*emulator_, std::string(kProject) + "/aggregated/acceleratorTypes").body;
  EXPECT_EQ(offered["items"]["zones/us-central1-f"]["acceleratorTypes"][0]["name"], "nvidia-l4");
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-west1-b/machineTypes/n1-standard-4")
                .body["guestCpus"],
            4);
}

TEST_F(GcpEmulatorTest, SlowOperationGoesPendingRunningDone) {
  start("faults.yaml");
  const auto begin = std::chrono::steady_clock::now();
  const Answer created = insert(*emulator_, "us-west1-b", t4_instance("slow-1"));
  ASSERT_EQ(created.status, 200) << created.body.dump();
  EXPECT_EQ(created.body["status"], "PENDING");
  const std::string op_path = std::string(kProject) + "/zones/us-west1-b/operations/" +
                              created.body["name"].get<std::string>();
  std::set<std::string> seen;
  std::set<std::string> instance_states;
  while (std::chrono::steady_clock::now() - begin < std::chrono::seconds(10)) {
    const std::string status = get(*emulator_, op_path).body.value("status", "");
    seen.insert(status);
    instance_states.insert(
        get(*emulator_, std::string(kProject) + "/zones/us-west1-b/instances/slow-1")
            .body.value("status", ""));
    if (status == "DONE") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(elapsed, std::chrono::milliseconds(1400));
  EXPECT_EQ(seen, (std::set<std::string>{"PENDING", "RUNNING", "DONE"}));
  EXPECT_TRUE(instance_states.count("PROVISIONING") == 1 && instance_states.count("STAGING") == 1 &&
              instance_states.count("RUNNING") == 1)
      << Json(instance_states).dump();
}

TEST_F(GcpEmulatorTest, BurstsOfErrorsEndAfterTheirCount) {
  start("faults.yaml");
  for (int i = 0; i < 3; ++i) {
    const Answer limited = get(*emulator_, std::string(kProject) + "/regions/us-west1");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.body["error"]["errors"][0]["reason"], "rateLimitExceeded");
  }
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/regions/us-west1").status, 200);
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-west1-c").status,
            200);  // not in the burst

  // us-west1-c: two 503s, then a stockout for one creation, then room.
  EXPECT_EQ(insert(*emulator_, "us-west1-c", t4_instance("c-1")).status, 503);
  EXPECT_EQ(insert(*emulator_, "us-west1-c", t4_instance("c-1")).status, 503);
  const Answer stocked_out = insert(*emulator_, "us-west1-c", t4_instance("c-1"));
  ASSERT_EQ(stocked_out.status, 200);
  EXPECT_EQ(wait_done(*emulator_, stocked_out.body)["error"]["errors"][0]["code"],
            "ZONE_RESOURCE_POOL_EXHAUSTED");
  const Answer created = insert(*emulator_, "us-west1-c", t4_instance("c-1"));
  ASSERT_EQ(created.status, 200);
  EXPECT_FALSE(wait_done(*emulator_, created.body).contains("error"));
}

TEST_F(GcpEmulatorTest, RequestLogHoldsEveryRequest) {
  start("basic.yaml");
  get(*emulator_, std::string(kProject) + "/zones/us-west1-b");
  get(*emulator_, std::string(kProject) + "/regions/us-west1?alt=json", "");
  insert(*emulator_, "us-west1-b", t4_instance("logged-1"));
  const Json requests = emulator_->requests();
  ASSERT_EQ(requests.size(), 3U) << requests.dump();
  EXPECT_EQ(requests[0]["method"], "GET");
  EXPECT_EQ(requests[0]["path"], std::string(kProject) + "/zones/us-west1-b");
  EXPECT_EQ(requests[0]["status"], 200);
  EXPECT_EQ(requests[1]["query"], "alt=json");
  EXPECT_EQ(requests[1]["status"], 401);
  EXPECT_EQ(requests[2]["method"], "POST");
  EXPECT_EQ(requests[2]["body"]["scheduling"]["onHostMaintenance"], "TERMINATE");

  std::ifstream log(emulator_->log_file());
  std::string line;
  std::vector<Json> lines;
  while (std::getline(log, line)) {
    lines.push_back(Json::parse(line));
  }
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[2]["path"], std::string(kProject) + "/zones/us-west1-b/instances");
}

TEST_F(GcpEmulatorTest, StopTerminatesAndFreesQuotaStartRunsAgain) {
  start("basic.yaml");
  const std::string instance = std::string(kProject) + "/zones/us-west1-b/instances/gpu-1";
  wait_done(*emulator_, insert(*emulator_, "us-west1-b", t4_instance("gpu-1")).body);
  const Answer stopping = send(*emulator_, "POST", instance + "/stop");
  ASSERT_EQ(stopping.status, 200);
  EXPECT_EQ(get(*emulator_, instance).body["status"], "STOPPING");
  wait_done(*emulator_, stopping.body);
  EXPECT_EQ(get(*emulator_, instance).body["status"], "TERMINATED");
  EXPECT_EQ(quota(get(*emulator_, std::string(kProject) + "/regions/us-west1").body["quotas"],
                  "NVIDIA_T4_GPUS", "usage"),
            0.0);
  const Answer starting = send(*emulator_, "POST", instance + "/start");
  ASSERT_EQ(starting.status, 200);
  EXPECT_EQ(get(*emulator_, instance).body["status"], "STAGING");
  EXPECT_FALSE(wait_done(*emulator_, starting.body).contains("error"));
  EXPECT_EQ(get(*emulator_, instance).body["status"], "RUNNING");
}

TEST_F(GcpEmulatorTest, SerialPortOutputFollowsItsOffsets) {
  start("basic.yaml");
  wait_done(*emulator_, insert(*emulator_, "us-west1-b", t4_instance("gpu-1")).body);
  const std::string serial =
      std::string(kProject) + "/zones/us-west1-b/instances/gpu-1/serialPort?port=1";
  const Json first = get(*emulator_, serial).body;
  const std::string expected =
      "Starting startup scripts (version emulator).\nFound startup-script in metadata.\n";
  EXPECT_EQ(first["contents"], expected);
  EXPECT_EQ(first["start"], "0");
  EXPECT_EQ(first["next"], std::to_string(expected.size()));
  const Json rest = get(*emulator_, serial + "&start=" + first["next"].get<std::string>()).body;
  EXPECT_EQ(rest["contents"], "");
  EXPECT_EQ(rest["next"], first["next"]);
}

TEST_F(GcpEmulatorTest, RealizeCommandGivesTheInstanceItsAddressAndSerialOutput) {
  const std::string realize =
      R"(printf '%s\n' "$INSTANCE_NAME $ZONE $SSH_KEYS" > "$SERIAL_PORT_FILE"; )"
      R"(cat "$STARTUP_SCRIPT_FILE" >> "$SERIAL_PORT_FILE"; echo booting; echo 127.0.0.1)";
  start("basic.yaml", {"--realize-command", realize, "--unrealize-command",
                       R"(touch "$(dirname "$SERIAL_PORT_FILE")/unrealized")"});
  wait_done(*emulator_, insert(*emulator_, "us-west1-b", t4_instance("gpu-1")).body);
  const std::string instance = std::string(kProject) + "/zones/us-west1-b/instances/gpu-1";
  const Json realized = get(*emulator_, instance).body;
  EXPECT_EQ(realized["networkInterfaces"][0]["accessConfigs"][0]["natIP"], "127.0.0.1");
  const std::string contents = get(*emulator_, instance + "/serialPort").body["contents"];
  EXPECT_NE(contents.find("gpu-1 us-west1-b whale:ssh-ed25519 AAAA test\n#!/bin/sh\necho hello\n"),
            std::string::npos)
      << contents;
  wait_done(*emulator_, send(*emulator_, "DELETE", instance).body);
  EXPECT_TRUE(
      std::filesystem::exists(emulator_->dir() / "work" / "us-west1-b-gpu-1" / "unrealized"));
}

TEST_F(GcpEmulatorTest, FailingRealizeCommandFailsTheInsert) {
  start("basic.yaml", {"--realize-command", "echo no room >&2; exit 3"});
  const Json done =
      wait_done(*emulator_, insert(*emulator_, "us-west1-b", t4_instance("gpu-1")).body);
  ASSERT_TRUE(done.contains("error")) << done.dump();
  EXPECT_EQ(done["error"]["errors"][0]["code"], "EMULATOR_REALIZE_FAILED");
  EXPECT_EQ(get(*emulator_, std::string(kProject) + "/zones/us-west1-b/instances/gpu-1").status,
            404);
}

TEST_F(GcpEmulatorTest, StopsOnSigterm) {
  start("basic.yaml");
  EXPECT_EQ(emulator_->stop(), 0);
}

}  // namespace
}  // namespace deepdock::testing
