// `deepdock doctor` end to end: the built binary judges fixture hosts (DEEPDOCK_HOST_ROOT)
// with the real test engine, or none, and exits 1 exactly when a finding is an error.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

fs::path host_fixture(const std::string& name) {
  return fs::path(DEEPDOCK_TESTDATA_DIR) / "hosts" / name;
}

class DoctorE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { write_file(spec_, "name: doctor-e2e\n"); }

  // `doctor --json` on a fixture host with the engine at `docker_host`; the parsed document.
  nlohmann::json doctor(const std::string& fixture, const std::string& docker_host) {
    run_ = testing::run_deepdock(
        {"doctor", "--json", "-f", spec_.string()},
        {"DOCKER_HOST=" + docker_host, "DEEPDOCK_HOST_ROOT=" + host_fixture(fixture).string(),
         "DEEPDOCK_STATE_DIR=" + (dir_.path() / "state").string(), "NO_COLOR=1"});
    auto document = parse_json(run_.stdout_text);
    EXPECT_FALSE(document.is_discarded()) << run_.stdout_text << run_.stderr_text;
    return document;
  }

  static std::string severity(const nlohmann::json& document, const std::string& id) {
    for (const auto& finding : document["findings"]) {
      if (finding["id"] == id) {
        return finding["severity"].get<std::string>();
      }
    }
    return "absent";
  }

  static std::set<std::string> error_ids(const nlohmann::json& document) {
    std::set<std::string> ids;
    for (const auto& finding : document["findings"]) {
      if (finding["severity"] == "error") {
        ids.insert(finding["id"].get<std::string>());
      }
    }
    return ids;
  }

  TempDir dir_;
  fs::path spec_ = dir_.path() / "deepdock.yaml";
  BinaryRun run_;
};

TEST_F(DoctorE2eTest, HealthyHostWithTheTestEngineHasNoErrorsButTheMachinesDisk) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  const auto document = doctor("healthy", docker_host);
  for (const char* id : {"gpu.pci", "driver.module", "driver.version-mismatch",
                         "driver.device-nodes", "host.secure-boot", "engine.reachable",
                         "toolkit.binaries", "engine.gpu-runtime", "toolkit.cdi", "spec.driver"}) {
    EXPECT_EQ(severity(document, id), "ok") << id << "\n" << document.dump(2);
  }
  // The engine's own cgroup driver decides this one.
  const std::string cgroup =
      shell_output("DOCKER_HOST=" + docker_host + " docker info --format '{{.CgroupDriver}}'");
  EXPECT_EQ(severity(document, "engine.cgroup-driver"),
            cgroup.rfind("systemd", 0) == 0 ? "warning" : "ok")
      << cgroup;
  // Only the disk of the machine running the test may be short.
  const auto errors = error_ids(document);
  EXPECT_TRUE(errors.empty() || errors == std::set<std::string>{"disk.images"}) << document.dump(2);
  EXPECT_EQ(run_.exit_code, errors.empty() ? 0 : 1) << run_.stderr_text;
  EXPECT_EQ(document["summary"]["error"].get<size_t>(), errors.size());
  EXPECT_EQ(document["summary"]["healthy"].get<bool>(), errors.empty());
}

TEST_F(DoctorE2eTest, NouveauHostIsErrorsWithTheirFixesAndExitsOne) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  const auto document = doctor("nouveau", docker_host);
  EXPECT_EQ(run_.exit_code, 1) << run_.stderr_text;
  EXPECT_EQ(severity(document, "engine.reachable"), "ok");
  EXPECT_EQ(severity(document, "host.secure-boot"), "warning");
  const auto errors = error_ids(document);
  for (const char* id :
       {"driver.nouveau", "driver.module", "toolkit.binaries", "engine.gpu-runtime"}) {
    EXPECT_EQ(errors.count(id), 1U) << id << "\n" << document.dump(2);
  }
  for (const auto& finding : document["findings"]) {
    if (finding["severity"] == "error") {
      EXPECT_FALSE(finding["fix"].get<std::string>().empty()) << finding.dump();
    }
  }
  EXPECT_EQ(run_.stderr_text.find("error:"), std::string::npos)
      << "the findings say it all: " << run_.stderr_text;
}

TEST_F(DoctorE2eTest, UnreachableEngineIsAFindingNotACrash) {
  const auto document = doctor("healthy", "unix:///nonexistent/docker.sock");
  EXPECT_EQ(run_.exit_code, 1) << run_.stderr_text;
  EXPECT_EQ(severity(document, "engine.reachable"), "error") << document.dump(2);
  EXPECT_EQ(severity(document, "driver.module"), "ok");
  EXPECT_EQ(severity(document, "engine.gpu-runtime"), "info")
      << "the host's files still say the runtime is configured";
  EXPECT_EQ(run_.stderr_text.find("internal error"), std::string::npos) << run_.stderr_text;
}

TEST_F(DoctorE2eTest, TextOutputNamesEachFindingAndItsFix) {
  const BinaryRun run = testing::run_deepdock(
      {"doctor", "-f", spec_.string()},
      {"DOCKER_HOST=unix:///nonexistent/docker.sock",
       "DEEPDOCK_HOST_ROOT=" + host_fixture("version-mismatch").string(), "NO_COLOR=1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stdout_text.find("Driver/library version mismatch  [driver.version-mismatch]"),
            std::string::npos)
      << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("fix: sudo reboot"), std::string::npos) << run.stdout_text;
  EXPECT_EQ(run.stdout_text.find("\033["), std::string::npos) << "no colour off a terminal";
}

}  // namespace
}  // namespace deepdock::e2e
