#include "core/gcp/instance_spec.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace deepdock::core {
namespace {

TEST(InstanceSpecTest, VmNameIsPrefixedAndMatchesComputesRule) {
  const std::regex rule("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  const std::vector<std::string> names = {"bert-score",          "My_Env.2",           "--x--", "",
                                          std::string(100, 'a'), "\xc3\x9cnicode env", "9lives"};
  for (const std::string& name : names) {
    const std::string vm = gcp_vm_name(name);
    EXPECT_TRUE(std::regex_match(vm, rule)) << name << " -> " << vm;
    EXPECT_TRUE(vm.starts_with("deepdock-")) << vm;
  }
  EXPECT_EQ(gcp_vm_name("bert-score"), "deepdock-bert-score");
  EXPECT_EQ(gcp_vm_name("My_Env.2"), "deepdock-my-env-2");
}

TEST(InstanceSpecTest, LabelsMarkTheVmAsDeepdocks) {
  const auto labels = gcp_vm_labels("My_Env.2");
  EXPECT_EQ(labels.at("deepdock-managed"), "true");
  EXPECT_EQ(labels.at("deepdock-env"), "my_env-2");
  CloudInstance instance;
  EXPECT_FALSE(is_deepdock_managed(instance));
  instance.labels = labels;
  EXPECT_TRUE(is_deepdock_managed(instance));
}

TEST(InstanceSpecTest, BuiltInGpusSendNoGuestAccelerators) {
  InstanceSpecInput input{.env_name = "x",
                          .zone = "us-central1-a",
                          .machine_type = "g2-standard-4",
                          .built_in_gpus = true,
                          .accelerator = "nvidia-l4",
                          .count = 1,
                          .source_image = "img",
                          .disk_gb = 200,
                          .spot = true,
                          .metadata = {{"startup-script", "s"}}};
  CloudInstanceSpec spec = make_instance_spec(input);
  EXPECT_EQ(spec.accelerator, "");
  EXPECT_EQ(spec.accelerator_count, 0);
  EXPECT_EQ(spec.tags, std::vector<std::string>{"deepdock"});
  EXPECT_TRUE(spec.spot);
  EXPECT_EQ(spec.disk_gb, 200);
  input.machine_type = "n1-standard-4";
  input.built_in_gpus = false;
  input.accelerator = "nvidia-tesla-t4";
  spec = make_instance_spec(input);
  EXPECT_EQ(spec.accelerator, "nvidia-tesla-t4");
  EXPECT_EQ(spec.accelerator_count, 1);
}

TEST(InstanceSpecTest, ImageFamilies) {
  EXPECT_EQ(gcp_source_image("ubuntu-2204-lts"),
            "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts");
  EXPECT_EQ(gcp_source_image("debian-12"), "projects/debian-cloud/global/images/family/debian-12");
  EXPECT_EQ(gcp_source_image("my-gpu-image"), "global/images/family/my-gpu-image");
  EXPECT_EQ(gcp_source_image("projects/x/global/images/y"), "projects/x/global/images/y");
}

}  // namespace
}  // namespace deepdock::core
