// LocalHostInspector on the fixture trees in tests/testdata/hosts: each tree's facts, and the
// findings the doctor draws from them.
#include "adapters/host/local_host_inspector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "app/doctor.hpp"
#include "core/spec/spec_parser.hpp"
#include "fakes/fake_engine.hpp"
#include "support/host_fixtures.hpp"

namespace deepdock::adapters::host {
namespace {

using testing::RecordedSmi;

std::filesystem::path fixture(const std::string& name) {
  return testing::host_fixture(name);
}

core::HostDiagnosisFacts inspect(const std::string& name, RecordedSmi& smi) {
  return LocalHostInspector(fixture(name), {"/usr/local/bin", "/usr/bin"}, smi.runner())
      .inspect("");
}

// The doctor's verdict on a fixture, with an engine that lists the nvidia runtime.
std::vector<app::Finding> judge(const core::HostDiagnosisFacts& facts) {
  core::EngineInfo engine = testing::FakeEngine().engine_info;
  engine.runtimes = {"runc", "nvidia"};
  engine.cgroup_driver = "cgroupfs";
  app::DoctorInput input{facts, engine,
                         app::SpecUnderTest{core::default_spec(), "", "default environment"}};
  input.host.images_disk.free_bytes = 100ULL << 30U;  // the test machine's disk is not a fact
  return app::diagnose_host(input, core::KnowledgeBase::embedded());
}

app::Severity severity_of(const std::vector<app::Finding>& findings, std::string_view id) {
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [id](const app::Finding& f) { return f.id == id; });
  EXPECT_NE(it, findings.end()) << "no finding " << id;
  return it == findings.end() ? app::Severity::kOk : it->severity;
}

std::vector<std::string> error_ids(const std::vector<app::Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) {
    if (f.severity == app::Severity::kError) {
      ids.push_back(f.id);
    }
  }
  return ids;
}

TEST(LocalHostInspectorTest, HealthyTreeHasEveryLinkOfTheChain) {
  RecordedSmi smi;
  const auto facts = inspect("healthy", smi);
  EXPECT_EQ(facts.root, fixture("healthy").string());
  ASSERT_EQ(facts.gpu.gpus.size(), 1U);
  EXPECT_EQ(facts.gpu.gpus[0].name, "TU104GL [Tesla T4]");
  EXPECT_EQ(facts.gpu.driver_version, "535.183.01");
  EXPECT_TRUE(facts.modules.nvidia);
  EXPECT_TRUE(facts.modules.nvidia_uvm);
  EXPECT_FALSE(facts.modules.nouveau);
  EXPECT_EQ(facts.library_versions, std::vector<std::string>{"535.183.01"});
  EXPECT_EQ(facts.devices.gpus, std::vector<std::string>{"nvidia0"});
  EXPECT_TRUE(facts.devices.nvidiactl);
  EXPECT_TRUE(facts.devices.nvidia_uvm);
  EXPECT_EQ(facts.secure_boot, false);
  EXPECT_EQ(facts.toolkit.daemon_json, "/etc/docker/daemon.json");
  EXPECT_TRUE(facts.toolkit.daemon_json_nvidia);
  EXPECT_EQ(facts.toolkit.cdi_specs, std::vector<std::string>{"/etc/cdi/nvidia.yaml"});
  EXPECT_EQ(facts.toolkit.binaries,
            (std::vector<std::string>{"nvidia-ctk", "nvidia-container-runtime-hook"}));
  EXPECT_EQ(facts.images_disk.path, "/var/lib/docker");
  EXPECT_TRUE(facts.images_disk.free_bytes.has_value());
  ASSERT_EQ(smi.calls.size(), 1U) << "the GPU probe asks nvidia-smi once";
  EXPECT_EQ(facts.nvidia_smi_failure, "") << "it exited 9 with no output";

  EXPECT_TRUE(error_ids(judge(facts)).empty());
}

TEST(LocalHostInspectorTest, NouveauTreeIsAnErrorWithSecureBootWarning) {
  RecordedSmi smi;
  const auto facts = inspect("nouveau", smi);
  EXPECT_TRUE(facts.modules.nouveau);
  EXPECT_FALSE(facts.modules.nvidia);
  EXPECT_EQ(facts.secure_boot, true);
  EXPECT_FALSE(facts.gpu.driver_version.has_value());
  EXPECT_TRUE(facts.toolkit.binaries.empty());

  const auto findings = judge(facts);
  EXPECT_EQ(severity_of(findings, "gpu.pci"), app::Severity::kOk);
  EXPECT_EQ(severity_of(findings, "driver.nouveau"), app::Severity::kError);
  EXPECT_EQ(severity_of(findings, "driver.module"), app::Severity::kError);
  EXPECT_EQ(severity_of(findings, "host.secure-boot"), app::Severity::kWarning);
  EXPECT_EQ(severity_of(findings, "toolkit.binaries"), app::Severity::kError);
  EXPECT_EQ(severity_of(findings, "spec.conflict"), app::Severity::kError);
}

TEST(LocalHostInspectorTest, VersionMismatchTreeIsTheMismatchError) {
  RecordedSmi smi;
  smi.answer = {.exit_code = 18,
                .stdout_text = "Failed to initialize NVML: Driver/library version mismatch\n",
                .stderr_text = ""};
  const auto facts = inspect("version-mismatch", smi);
  EXPECT_EQ(facts.gpu.driver_version, "535.183.01");
  EXPECT_EQ(facts.library_versions, std::vector<std::string>{"550.54.15"});
  EXPECT_EQ(facts.nvidia_smi_failure, "Failed to initialize NVML: Driver/library version mismatch");

  const auto findings = judge(facts);
  EXPECT_EQ(severity_of(findings, "driver.version-mismatch"), app::Severity::kError);
  EXPECT_EQ(severity_of(findings, "driver.device-nodes"), app::Severity::kOk);
}

TEST(LocalHostInspectorTest, DriverWithoutToolkitTreeLacksUvmAndTheToolkit) {
  RecordedSmi smi;
  const auto facts = inspect("driver-no-toolkit", smi);
  EXPECT_FALSE(facts.devices.nvidia_uvm);
  EXPECT_FALSE(facts.secure_boot.has_value());
  EXPECT_TRUE(facts.toolkit.daemon_json.empty());
  EXPECT_TRUE(facts.toolkit.cdi_specs.empty());
  EXPECT_TRUE(facts.toolkit.binaries.empty());

  const auto findings = judge(facts);
  EXPECT_EQ(error_ids(findings),
            (std::vector<std::string>{"driver.device-nodes", "toolkit.binaries"}))
      << "the engine in this test lists the nvidia runtime";
  EXPECT_EQ(severity_of(findings, "driver.version-mismatch"), app::Severity::kOk);
}

TEST(LocalHostInspectorTest, ExistingTreesGiveNoGpuAndNoDriverFindings) {
  RecordedSmi smi;
  auto findings = judge(inspect("no-gpu", smi));
  EXPECT_EQ(severity_of(findings, "gpu.pci"), app::Severity::kInfo);
  EXPECT_TRUE(error_ids(findings).empty());

  findings = judge(inspect("t4-no-driver", smi));
  EXPECT_EQ(severity_of(findings, "driver.module"), app::Severity::kError);
  EXPECT_TRUE(smi.calls.empty()) << "no driver, so nvidia-smi is not asked";
}

TEST(LocalHostInspectorTest, DaemonJsonThatIsNotJsonIsReported) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "doctor-bad-daemon-json";
  std::filesystem::create_directories(root / "etc/docker");
  std::ofstream(root / "etc/docker/daemon.json") << "{\"runtimes\": {";
  RecordedSmi smi;
  const auto facts = LocalHostInspector(root, {"/usr/bin"}, smi.runner()).inspect("/srv/docker");
  EXPECT_FALSE(facts.toolkit.daemon_json_error.empty());
  EXPECT_FALSE(facts.toolkit.daemon_json_nvidia);
  EXPECT_EQ(facts.images_disk.path, "/srv/docker");
  EXPECT_TRUE(facts.images_disk.free_bytes.has_value()) << "measured on its nearest parent";
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace deepdock::adapters::host
