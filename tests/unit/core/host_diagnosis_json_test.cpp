#include "core/model/host_diagnosis_json.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

HostDiagnosisFacts t4_host() {
  HostDiagnosisFacts facts;
  facts.root = "/";
  facts.gpu = {.gpus = {{.name = "Tesla T4", .compute_capability = "7.5", .memory_mib = 15360}},
               .driver_version = "535.183.01",
               .os_id = "ubuntu",
               .os_version = "22.04",
               .origin = "probed locally"};
  facts.modules = {.nouveau = false, .nvidia = true, .nvidia_uvm = false};
  facts.library_versions = {"535.183.01"};
  facts.nvidia_smi_failure = "";
  facts.devices = {.gpus = {"nvidia0"}, .nvidiactl = true, .nvidia_uvm = false};
  facts.secure_boot = true;
  facts.toolkit = {.daemon_json = "/etc/docker/daemon.json",
                   .daemon_json_nvidia = true,
                   .cdi_specs = {"/etc/cdi/nvidia.yaml"},
                   .binaries = {"nvidia-ctk"}};
  facts.images_disk = {.path = "/var/lib/docker", .free_bytes = 123456789};
  return facts;
}

TEST(HostDiagnosisJsonTest, FactsSurviveTheTripThroughJson) {
  const HostDiagnosisFacts sent = t4_host();
  const auto back =
      host_diagnosis_from_json(nlohmann::json::parse(host_diagnosis_to_json(sent).dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(host_diagnosis_to_json(*back), host_diagnosis_to_json(sent));
  EXPECT_EQ(back->gpu.gpus.at(0).name, "Tesla T4");
  EXPECT_EQ(back->gpu.driver_version, std::optional<std::string>("535.183.01"));
  EXPECT_TRUE(back->modules.nvidia);
  EXPECT_FALSE(back->devices.nvidia_uvm);
  EXPECT_EQ(back->secure_boot, std::optional<bool>(true));
  EXPECT_EQ(back->images_disk.free_bytes, std::optional<uint64_t>(123456789));
}

TEST(HostDiagnosisJsonTest, UnknownsStayUnknown) {
  HostDiagnosisFacts bare;
  const auto back = host_diagnosis_from_json(host_diagnosis_to_json(bare));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(back->gpu.driver_version.has_value());
  EXPECT_FALSE(back->secure_boot.has_value());
  EXPECT_FALSE(back->images_disk.free_bytes.has_value());
}

TEST(HostDiagnosisJsonTest, AnotherShapeIsRefusedWithTheFix) {
  nlohmann::json json = host_diagnosis_to_json(t4_host());
  json["modules"].erase("nvidia");
  const auto back = host_diagnosis_from_json(json);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(back.error().message.find("nvidia"), std::string::npos) << back.error().message;
  EXPECT_NE(back.error().hint.find("deepdock bootstrap"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
