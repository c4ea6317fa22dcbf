// `deepdock doctor` on an SSH host (the SSH test host): the deepdock the bootstrap copied
// there reads that host's files, this side judges them with the host's engine reached
// through the forwarded socket. The findings are the host's, not this machine's: its engine
// is named by the ssh URL, and its images' disk is the host's /var/lib/docker.
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

const nlohmann::json* finding(const nlohmann::json& report, const std::string& id) {
  for (const auto& item : report["findings"]) {
    if (item["id"] == id) {
      return &item;
    }
  }
  return nullptr;
}

TEST(DoctorSshTest, TheFindingsAreTheSshHostsReadThereByDeepdockItself) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  TempDir dir;
  const SshHostSession session(dir.path(), config);
  std::string said;
  ASSERT_EQ(session.write_engine_settings(&said), 0) << said;
  const BinaryRun bootstrap =
      testing::run_deepdock({"bootstrap", "-q", "--host", host}, session.env());
  ASSERT_EQ(bootstrap.exit_code, 0) << bootstrap.stderr_text;

  const BinaryRun doctor =
      testing::run_deepdock({"--json", "doctor", "--host", host}, session.env());
  // A CPU host with a working engine: informational findings only.
  ASSERT_EQ(doctor.exit_code, 0) << doctor.stdout_text << doctor.stderr_text;
  const auto report = parse_json(doctor.stdout_text);
  const nlohmann::json* engine = finding(report, "engine.reachable");
  ASSERT_NE(engine, nullptr) << doctor.stdout_text;
  EXPECT_EQ((*engine)["severity"], "ok") << engine->dump();
  EXPECT_NE((*engine)["detail"].get<std::string>().find(host), std::string::npos)
      << "the host's engine, through the SSH connection: " << engine->dump();
  const nlohmann::json* disk = finding(report, "disk.images");
  ASSERT_NE(disk, nullptr) << doctor.stdout_text;
  EXPECT_NE((*disk)["detail"].get<std::string>().find("of /var/lib/docker"), std::string::npos)
      << "the host's disk, measured there: " << disk->dump();
  const nlohmann::json* gpu = finding(report, "gpu.pci");
  ASSERT_NE(gpu, nullptr) << doctor.stdout_text;
  EXPECT_EQ((*gpu)["severity"], "info");

  // The host answered for itself: its facts name its own root and its engine's data root.
  int code = -1;
  const std::string facts =
      on_ssh_host(config, "sudo /var/lib/deepdock/bin/deepdock doctor --facts", &code);
  ASSERT_EQ(code, 0) << facts;
  EXPECT_EQ(parse_json(facts)["gpu"]["os_id"], "debian") << facts;

  // A host name that does not resolve is an error that says so, not a local diagnosis.
  const BinaryRun nowhere = testing::run_deepdock(
      {"doctor", "--host", "ssh://whale@deepdock-no-such-host.invalid"}, session.env());
  EXPECT_EQ(nowhere.exit_code, 3) << nowhere.stderr_text;
  EXPECT_NE(nowhere.stderr_text.find("deepdock-no-such-host.invalid"), std::string::npos)
      << nowhere.stderr_text;
}

}  // namespace
}  // namespace deepdock::e2e
