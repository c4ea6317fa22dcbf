// The doctor's judging: host facts, the engine's answer and the spec in, findings out.
#include "app/doctor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "core/spec/spec_parser.hpp"
#include "fakes/fake_engine.hpp"
#include "fakes/fake_host_inspector.hpp"

namespace deepdock::app {
namespace {

constexpr uint64_t kGiB = 1ULL << 30U;

// A T4 host where every link of the chain holds.
core::HostDiagnosisFacts healthy_host() {
  core::HostDiagnosisFacts host;
  host.root = "/";
  host.gpu.gpus = {{"Tesla T4", "", 0}};
  host.gpu.driver_version = "535.183.01";
  host.gpu.os_id = "ubuntu";
  host.modules.nvidia = true;
  host.modules.nvidia_uvm = true;
  host.library_versions = {"535.183.01"};
  host.devices = {{"nvidia0"}, true, true};
  host.secure_boot = false;
  host.toolkit.daemon_json = "/etc/docker/daemon.json";
  host.toolkit.daemon_json_nvidia = true;
  host.toolkit.cdi_specs = {"/etc/cdi/nvidia.yaml"};
  host.toolkit.binaries = {"nvidia-ctk", "nvidia-container-runtime-hook"};
  host.images_disk = {"/var/lib/docker", 200 * kGiB};
  return host;
}

core::EngineInfo nvidia_engine() {
  core::EngineInfo info = testing::FakeEngine().engine_info;
  info.runtimes = {"runc", "nvidia"};
  info.cgroup_driver = "cgroupfs";
  info.docker_root_dir = "/var/lib/docker";
  return info;
}

SpecUnderTest default_spec() {
  return {core::default_spec(), "", "default environment"};
}

std::vector<Finding> judge(core::HostDiagnosisFacts host,
                           Result<core::EngineInfo> engine = nvidia_engine(),
                           Result<SpecUnderTest> spec = default_spec()) {
  return diagnose_host({std::move(host), std::move(engine), std::move(spec)},
                       core::KnowledgeBase::embedded());
}

// A copy: the findings are often a temporary.
std::optional<Finding> find(const std::vector<Finding>& findings, std::string_view id) {
  const auto it =
      std::find_if(findings.begin(), findings.end(), [id](const Finding& f) { return f.id == id; });
  return it == findings.end() ? std::nullopt : std::optional<Finding>(*it);
}

std::vector<std::string> error_ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) {
    if (f.severity == Severity::kError) {
      ids.push_back(f.id);
    }
  }
  return ids;
}

TEST(DoctorTest, HealthyHostHasOnlyOkFindingsAcrossTheChain) {
  const auto findings = judge(healthy_host());
  EXPECT_FALSE(has_errors(findings));
  for (const char* id :
       {"gpu.pci", "driver.module", "driver.version-mismatch", "driver.device-nodes",
        "host.secure-boot", "engine.reachable", "toolkit.binaries", "engine.gpu-runtime",
        "toolkit.cdi", "engine.cgroup-driver", "disk.images", "spec.driver"}) {
    const auto finding = find(findings, id);
    ASSERT_TRUE(finding.has_value()) << id;
    EXPECT_EQ(finding->severity, Severity::kOk) << id << ": " << finding->detail;
  }
  EXPECT_FALSE(find(findings, "driver.nouveau").has_value());
}

TEST(DoctorTest, NouveauLoadedIsAnErrorWithTheBlacklistFix) {
  auto host = healthy_host();
  host.modules.nouveau = true;
  const auto finding = find(judge(host), "driver.nouveau");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->fix.find("blacklist nouveau"), std::string::npos);
  EXPECT_NE(finding->fix.find("update-initramfs"), std::string::npos);
}

TEST(DoctorTest, LibrariesOfAnotherVersionThanTheModuleAreAMismatchWithRebootFix) {
  auto host = healthy_host();
  host.library_versions = {"550.54.15"};
  const auto finding = find(judge(host), "driver.version-mismatch");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->title, "Driver/library version mismatch");
  EXPECT_NE(finding->detail.find("550.54.15"), std::string::npos);
  EXPECT_NE(finding->fix.find("reboot"), std::string::npos);
  EXPECT_NE(finding->fix.find("modprobe nvidia"), std::string::npos);
}

TEST(DoctorTest, NvidiaSmiReportingTheMismatchIsAMismatchEvenWithMatchingFileNames) {
  auto host = healthy_host();
  host.nvidia_smi_failure = "Failed to initialize NVML: Driver/library version mismatch";
  EXPECT_EQ(find(judge(host), "driver.version-mismatch")->severity, Severity::kError);
}

TEST(DoctorTest, GpuWithoutKernelModuleIsAnErrorAndChecksNeedingItAreSkipped) {
  auto host = healthy_host();
  host.gpu.driver_version.reset();
  host.modules.nvidia = false;
  host.library_versions.clear();
  const auto findings = judge(host);
  ASSERT_TRUE(find(findings, "driver.module").has_value());
  EXPECT_EQ(find(findings, "driver.module")->severity, Severity::kError);
  EXPECT_EQ(find(findings, "driver.module")->fix, "sudo ubuntu-drivers install");
  EXPECT_FALSE(find(findings, "driver.version-mismatch").has_value());
  EXPECT_FALSE(find(findings, "driver.device-nodes").has_value());
}

TEST(DoctorTest, MissingUvmNodeIsAnErrorWithModprobeFix) {
  auto host = healthy_host();
  host.devices.nvidia_uvm = false;
  const auto finding = find(judge(host), "driver.device-nodes");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->fix.find("sudo modprobe nvidia-uvm"), std::string::npos);
  EXPECT_NE(finding->fix.find("nvidia-modprobe -u -c=0"), std::string::npos);
}

TEST(DoctorTest, SecureBootOnWithoutALoadedModuleWarnsAndWithOneInforms) {
  auto host = healthy_host();
  host.secure_boot = true;
  EXPECT_EQ(find(judge(host), "host.secure-boot")->severity, Severity::kInfo);
  host.modules.nvidia = false;
  host.gpu.driver_version.reset();
  EXPECT_EQ(find(judge(host), "host.secure-boot")->severity, Severity::kWarning);
  host.secure_boot.reset();
  EXPECT_FALSE(find(judge(host), "host.secure-boot").has_value()) << "unreadable: nothing to say";
}

TEST(DoctorTest, PermissionDeniedOnTheSocketIsAnErrorWithTheDockerGroupFix) {
  const auto findings =
      judge(healthy_host(), fail(ErrorCode::kPermissionDenied,
                                 "permission denied on the Docker engine socket /run/docker.sock"));
  const auto finding = find(findings, "engine.reachable");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->fix.find("usermod -aG docker $USER"), std::string::npos);
  // The host's own files still say the GPU support is configured.
  EXPECT_EQ(find(findings, "engine.gpu-runtime")->severity, Severity::kInfo);
  EXPECT_FALSE(find(findings, "engine.cgroup-driver").has_value());
}

TEST(DoctorTest, UnreachableEngineIsAnErrorCarryingTheEnginesHint) {
  const auto findings = judge(healthy_host(), fail(ErrorCode::kUnavailable, "cannot reach it",
                                                   "sudo systemctl start docker"));
  EXPECT_EQ(error_ids(findings), std::vector<std::string>{"engine.reachable"});
  EXPECT_EQ(find(findings, "engine.reachable")->fix, "sudo systemctl start docker");
}

TEST(DoctorTest, RuntimeDeclaredButNotLoadedAsksForARestart) {
  auto host = healthy_host();
  host.toolkit.binaries = {"nvidia-ctk"};
  auto engine = nvidia_engine();
  engine.runtimes = {"runc"};
  const auto finding = find(judge(host, engine), "engine.gpu-runtime");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_EQ(finding->fix, "sudo systemctl restart docker");
}

TEST(DoctorTest, NoToolkitIsAnErrorOnAGpuHostAndOnlyInformsWithoutAGpu) {
  auto host = healthy_host();
  host.toolkit = {};
  auto engine = nvidia_engine();
  engine.runtimes = {"runc"};
  auto findings = judge(host, engine);
  EXPECT_EQ(find(findings, "toolkit.binaries")->severity, Severity::kError);
  EXPECT_EQ(find(findings, "toolkit.binaries")->fix,
            "sudo apt-get install -y nvidia-container-toolkit");
  EXPECT_EQ(find(findings, "engine.gpu-runtime")->severity, Severity::kError);
  EXPECT_EQ(find(findings, "engine.gpu-runtime")->fix,
            "sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker");

  host.gpu = {};
  findings = judge(host, engine);
  EXPECT_EQ(find(findings, "gpu.pci")->severity, Severity::kInfo);
  EXPECT_EQ(find(findings, "toolkit.binaries")->severity, Severity::kInfo);
  EXPECT_FALSE(has_errors(findings));
}

TEST(DoctorTest, MissingCdiSpecSuggestsGeneratingOneAndIsAnErrorOnPodman) {
  auto host = healthy_host();
  host.toolkit.cdi_specs.clear();
  auto engine = nvidia_engine();
  const auto finding = find(judge(host, engine), "toolkit.cdi");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kInfo);
  EXPECT_EQ(finding->fix, "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml");
  engine.is_podman = true;
  EXPECT_EQ(find(judge(host, engine), "toolkit.cdi")->severity, Severity::kError);
}

TEST(DoctorTest, SystemdCgroupDriverWarnsAboutDaemonReloadWithTheDevCharFix) {
  auto engine = nvidia_engine();
  engine.cgroup_driver = "systemd";
  const auto finding = find(judge(healthy_host(), engine), "engine.cgroup-driver");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kWarning);
  EXPECT_NE(finding->detail.find("daemon-reload"), std::string::npos);
  EXPECT_NE(finding->detail.find("native.cgroupdriver=cgroupfs"), std::string::npos);
  EXPECT_EQ(finding->fix, "sudo nvidia-ctk system create-dev-char-symlinks --create-all");
}

TEST(DoctorTest, DiskUnderThirtyGibWarnsAndUnderTenIsAnError) {
  auto host = healthy_host();
  host.images_disk.free_bytes = 31 * kGiB;
  EXPECT_EQ(find(judge(host), "disk.images")->severity, Severity::kOk);
  host.images_disk.free_bytes = 29 * kGiB;
  EXPECT_EQ(find(judge(host), "disk.images")->severity, Severity::kWarning);
  host.images_disk.free_bytes = 9 * kGiB;
  EXPECT_EQ(find(judge(host), "disk.images")->severity, Severity::kError);
  host.images_disk.free_bytes.reset();
  EXPECT_EQ(find(judge(host), "disk.images")->severity, Severity::kInfo);
}

TEST(DoctorTest, DriverTooOldForTheSpecsCudaReportsTheResolversViolations) {
  auto host = healthy_host();
  host.gpu.driver_version = "450.80.02";
  host.library_versions = {"450.80.02"};
  auto spec = default_spec();
  spec.spec.version = "2.15";
  const auto findings = judge(host, nvidia_engine(), spec);
  const auto finding = find(findings, "spec.conflict");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kError);
  EXPECT_NE(finding->detail.find("450.80.02"), std::string::npos) << finding->detail;
  EXPECT_FALSE(finding->fix.empty()) << "the nearest working alternative";
}

TEST(DoctorTest, DriverNewEnoughForTheSpecIsOkAndNamesItsMinimum) {
  const auto finding = find(judge(healthy_host()), "spec.driver");
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->severity, Severity::kOk);
  EXPECT_NE(finding->detail.find("or newer"), std::string::npos);
}

TEST(DoctorTest, UnloadableSpecIsAnErrorWithItsHint) {
  const auto findings = judge(
      healthy_host(), nvidia_engine(),
      fail(ErrorCode::kInvalidInput, "deepdock.yaml:3:1: unknown key", "did you mean `pip`?"));
  EXPECT_EQ(error_ids(findings), std::vector<std::string>{"spec.driver"});
  EXPECT_EQ(find(findings, "spec.driver")->fix, "did you mean `pip`?");
}

TEST(DoctorTest, RunDoctorMeasuresTheEnginesDataRootOrTheDefault) {
  testing::FakeHostInspector inspector(healthy_host());
  auto engine = nvidia_engine();
  engine.docker_root_dir = "/data/docker";
  const auto findings =
      run_doctor(inspector, engine, default_spec(), core::KnowledgeBase::embedded());
  EXPECT_NE(find(findings, "disk.images")->detail.find("/data/docker"), std::string::npos);
  run_doctor(inspector, fail(ErrorCode::kUnavailable, "down"), default_spec(),
             core::KnowledgeBase::embedded());
  EXPECT_EQ(inspector.images_dirs, (std::vector<std::string>{"/data/docker", ""}));
}

}  // namespace
}  // namespace deepdock::app
