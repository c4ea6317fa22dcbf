// `up` with `target.kind: gcp` against the Google Cloud emulator, whose instances are the
// SSH test host: quota and offers read before anything is created, two stocked-out zones
// failed over to a third (every attempt in the summary), a GPU VM created with TERMINATE on
// maintenance, the startup script and deepdock's own SSH key in its metadata, the serial
// console followed, then the SSH host's path to a verified environment (the image shipped
// from here). `status` lists the
// VM, `down` stops it, a second `up` starts it again, `down --delete` deletes it, and the
// emulator holds no instance at the end.
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"
#include "e2e/gcp_emulator.hpp"

namespace deepdock::e2e {
namespace {

// The requests whose method and path (a suffix) match.
std::vector<nlohmann::json> matching(const std::vector<nlohmann::json>& requests,
                                     const std::string& method, const std::string& path_end) {
  std::vector<nlohmann::json> out;
  for (const auto& request : requests) {
    const std::string path = request.value("path", "");
    if (request.value("method", "") == method && path.size() >= path_end.size() &&
        path.compare(path.size() - path_end.size(), path_end.size(), path_end) == 0) {
      out.push_back(request);
    }
  }
  return out;
}

size_t index_of_first(const std::vector<nlohmann::json>& requests, const std::string& method,
                      const std::string& fragment) {
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].value("method", "") == method &&
        requests[i].value("path", "").find(fragment) != std::string::npos) {
      return i;
    }
  }
  return requests.size();
}

TEST(UpGcpTest, UpFailsOverCreatesAVmFollowsItsBootAndRunsAVerifiedEnvironmentThere) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  TempDir dir;
  const fs::path spec = dir.path() / "deepdock.yaml";
  const GcpTestbed bed(dir.path(), config, spec);
  ASSERT_EQ(bed.problem(), "");
  const GcpEmulator& emulator = bed.emulator();

  const std::string name = "e2e-gcp-" + unique_suffix();
  std::string text = read_file(fs::path(DEEPDOCK_SOURCE_DIR) / "examples/offline-pytorch.yaml");
  text.replace(text.find("name: offline-pytorch"), 21, "name: " + name);
  // The realized VM is a container without a GPU: the environment is asked for none.
  text.replace(text.find("gpu: auto"), 9, "gpu: none");
  text += fmt::format(
      "ports: {{jupyter: {}}}\n"
      "target:\n  kind: gcp\n  gcp: {{zones: [us-central1-a, us-central1-b, us-west1-b], "
      "accelerator: nvidia-tesla-t4, count: 1}}\n",
      free_port());
  write_file(spec, text);
  const auto deepdock = [&](std::vector<std::string> args) {
    return bed.deepdock(std::move(args));
  };

  // The image is made here and its layers shipped to the VM, as users without a registry do.
  const BinaryRun up = deepdock({"--json", "up", "--ship"});
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text << "\nemulator:\n" << emulator.stderr_text();
  const auto summary = parse_json(up.stdout_text);
  const auto& vm = summary["vm"];
  EXPECT_EQ(vm["outcome"], "created") << vm.dump(2);
  EXPECT_EQ(vm["zone"], "us-west1-b");
  EXPECT_EQ(vm["accelerator"], "nvidia-tesla-t4");
  EXPECT_EQ(vm["ssh"], "ssh://deepdock@127.0.0.1");
  EXPECT_TRUE(vm["price_per_hour"].is_number()) << vm.dump(2);
  std::vector<std::string> outcomes;
  for (const auto& attempt : vm["attempts"]) {
    if (attempt["tried"].get<bool>()) {
      outcomes.push_back(attempt["zone"].get<std::string>() + " " +
                         attempt["outcome"].get<std::string>());
    }
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"us-central1-a stocked out",
                                                "us-central1-b stocked out", "us-west1-b created"}))
      << vm["attempts"].dump(2);
  EXPECT_TRUE(summary["verification"]["passed"].get<bool>()) << up.stdout_text;
  const auto requests = emulator.requests();
  // The startup script was followed on the serial console.
  EXPECT_FALSE(matching(requests, "GET", "/serialPort").empty());
  // Quota was read before the first insert.
  const size_t first_insert = index_of_first(requests, "POST", "/instances");
  EXPECT_LT(index_of_first(requests, "GET", "/regions/"), first_insert);
  EXPECT_LT(index_of_first(requests, "GET", "/aggregated/acceleratorTypes"), first_insert);
  const auto inserts = matching(requests, "POST", "/instances");
  ASSERT_EQ(inserts.size(), 3U);
  const auto& body = inserts.back()["body"];
  EXPECT_EQ(body["scheduling"]["onHostMaintenance"], "TERMINATE") << body.dump(2);
  EXPECT_EQ(body["guestAccelerators"][0]["acceleratorCount"], 1);
  EXPECT_EQ(body["labels"]["deepdock-managed"], "true");
  bool has_script = false;
  bool has_key = false;
  for (const auto& item : body["metadata"]["items"]) {
    has_script |=
        item["key"] == "startup-script" &&
        item["value"].get<std::string>().find("/var/lib/deepdock/bootstrap") != std::string::npos;
    has_key |= item["key"] == "ssh-keys" &&
               item["value"].get<std::string>().starts_with("deepdock:ssh-ed25519 ");
  }
  EXPECT_TRUE(has_script) << body["metadata"].dump(2);
  EXPECT_TRUE(has_key) << body["metadata"].dump(2);
  EXPECT_EQ(body.dump().find("ya29."), std::string::npos) << "no token in the VM's metadata";
  // Only one instance exists: the stocked-out attempts left nothing behind.
  EXPECT_EQ(emulator.instance_names().size(), 1U);

  // The other commands reach the VM through the recorded address.
  const BinaryRun exec = deepdock({"exec", "--", "sh", "-c", "exit 7"});
  EXPECT_EQ(exec.exit_code, 7) << exec.stderr_text;
  const BinaryRun status = deepdock({"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  const auto listed = parse_json(status.stdout_text);
  ASSERT_EQ(listed["vms"].size(), 1U) << status.stdout_text;
  EXPECT_EQ(listed["vms"][0]["status"], "RUNNING");
  // The realized VM is the SSH test host other tests share: look for this environment.
  bool listed_here = false;
  for (const auto& entry : listed["environments"]) {
    listed_here |= entry["name"] == name && entry["state"] == "running";
  }
  EXPECT_TRUE(listed_here) << status.stdout_text;

  // `down` stops the VM; `up` starts it again and the environment comes back.
  const BinaryRun down = deepdock({"--json", "down"});
  ASSERT_EQ(down.exit_code, 0) << down.stderr_text;
  EXPECT_EQ(parse_json(down.stdout_text)["vm"]["outcome"], "stopped") << down.stdout_text;
  const BinaryRun stopped = deepdock({"--json", "status"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.stderr_text;
  EXPECT_EQ(parse_json(stopped.stdout_text)["vms"][0]["status"], "TERMINATED");
  const BinaryRun again = deepdock({"--json", "up"});
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_EQ(parse_json(again.stdout_text)["vm"]["outcome"], "started") << again.stdout_text;
  EXPECT_TRUE(parse_json(again.stdout_text)["verification"]["passed"].get<bool>());

  // `down --delete` deletes it: nothing is left in the project.
  const BinaryRun deleted = deepdock({"--json", "down", "--delete"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_EQ(parse_json(deleted.stdout_text)["vm"]["outcome"], "deleted") << deleted.stdout_text;
  EXPECT_TRUE(emulator.instance_names().empty());
}

}  // namespace
}  // namespace deepdock::e2e
