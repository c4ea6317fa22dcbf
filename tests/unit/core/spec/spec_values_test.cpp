#include "core/spec/spec_values.hpp"

#include <gtest/gtest.h>

namespace deepdock::core::spec_values {
namespace {

TEST(SpecValuesTest, Names) {
  for (const auto* good : {"deepdock", "bert-score", "a", "x1.y_z", "0abc"}) {
    EXPECT_EQ(check_name(good), std::nullopt) << good;
  }
  for (const auto* bad : {"", "Bert", "-x", ".x", "a b", "a/b"}) {
    EXPECT_NE(check_name(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(check_name(std::string(63, 'a')), std::nullopt);
  EXPECT_NE(check_name(std::string(64, 'a')), std::nullopt);
}

TEST(SpecValuesTest, VersionsAndPython) {
  for (const auto* good : {"2.15", "2.15.1", "0.4", "10.0.0"}) {
    EXPECT_EQ(check_version(good), std::nullopt) << good;
  }
  for (const auto* bad : {"2", "v2.15", "2.15.1.1", "2..1", "2.", ".2", "2.x", "2.15-rc1"}) {
    EXPECT_NE(check_version(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(check_python("3.11"), std::nullopt);
  EXPECT_NE(check_python("3.11.4"), std::nullopt);
  EXPECT_NE(check_python("3"), std::nullopt);
}

TEST(SpecValuesTest, Bases) {
  for (const auto* good :
       {"auto", "debootstrap:bookworm", "debootstrap:stable", "ubuntu:22.04",
        "tensorflow/tensorflow:2.15.0-gpu-jupyter", "127.0.0.1:5000/base/debian:12"}) {
    EXPECT_EQ(check_base(good), std::nullopt) << good;
  }
  for (const auto* bad :
       {"debootstrap:", "debootstrap:Bookworm", "debootstrap:book worm", "Ubuntu", "a b", ""}) {
    EXPECT_NE(check_base(bad), std::nullopt) << bad;
  }
}

TEST(SpecValuesTest, AptPackagesRefuseShellSyntax) {
  for (const auto* good :
       {"git", "libstdc++6", "python3-torch", "g++", "libcudnn8=8.9.7.29-1+cuda12.2", "x.org"}) {
    EXPECT_EQ(check_apt_package(good), std::nullopt) << good;
  }
  for (const auto* bad :
       {"", "g", "Git", "git;rm", "$(id)", "git curl", "-y", "git=", "a`b`", "pkg=1 2"}) {
    EXPECT_NE(check_apt_package(bad), std::nullopt) << bad;
  }
}

TEST(SpecValuesTest, PipRequirementsAndRelativePaths) {
  EXPECT_EQ(check_pip_requirement("torch>=2.1; python_version >= '3.10'"), std::nullopt);
  EXPECT_NE(check_pip_requirement(""), std::nullopt);
  EXPECT_NE(check_pip_requirement(" \t"), std::nullopt);
  EXPECT_NE(check_pip_requirement("pandas\nnumpy"), std::nullopt);
  EXPECT_EQ(check_relative_path("requirements.txt"), std::nullopt);
  EXPECT_EQ(check_relative_path("envs/requirements..txt"), std::nullopt);
  EXPECT_NE(check_relative_path("../requirements.txt"), std::nullopt);
  EXPECT_NE(check_relative_path("envs/../../r.txt"), std::nullopt);
  EXPECT_NE(check_relative_path("/etc/r.txt"), std::nullopt);
  EXPECT_NE(check_relative_path(""), std::nullopt);
}

TEST(SpecValuesTest, Mounts) {
  for (const auto* good : {"./work:/workspace", "/srv/data:/data:ro", "work:/w:rw", "~/x:/x"}) {
    EXPECT_EQ(check_mount(good), std::nullopt) << good;
  }
  for (const auto* bad : {"./work", ":/x", "./w:", "./w:w", "./w:/w:x", "./w:/w:ro:rw"}) {
    EXPECT_NE(check_mount(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(mount_container_path("./w:/data:ro"), "/data");
  EXPECT_EQ(mount_container_path("nothing"), "");
}

TEST(SpecValuesTest, SshHosts) {
  for (const auto* good : {"ssh://whale@203.0.113.7", "ssh://gpu-box.lan", "ssh://u@h:2222",
                           "ssh://[2001:db8::1]", "ssh://u@[2001:db8::1]:22"}) {
    EXPECT_EQ(check_ssh_host(good), std::nullopt) << good;
  }
  for (const auto* bad :
       {"whale@203.0.113.7", "ssh://", "ssh://@h", "ssh://u@", "ssh://h:0", "ssh://h:70000",
        "ssh://h:x", "ssh://h/path", "ssh://-oProxyCommand=x", "ssh://u;id@h"}) {
    EXPECT_NE(check_ssh_host(bad), std::nullopt) << bad;
  }
}

TEST(SpecValuesTest, Registries) {
  for (const auto* good : {"us-west1-docker.pkg.dev/learning-deeply/envs", "gcr.io/p",
                           "localhost:5000", "localhost", "127.0.0.1:5000/envs", "registry.lan"}) {
    EXPECT_EQ(check_registry(good), std::nullopt) << good;
  }
  for (const auto* bad :
       {"", "envs", "envs/x", "gcr.io/", "gcr.io//x", "gcr.io/P", "gcr.io/x:1", "gcr.io:0/x"}) {
    EXPECT_NE(check_registry(bad), std::nullopt) << bad;
  }
}

TEST(SpecValuesTest, GcpNames) {
  for (const auto* good :
       {"us-west1-b", "europe-west4-a", "northamerica-northeast1-c", "me-central2-a"}) {
    EXPECT_EQ(check_zone(good), std::nullopt) << good;
  }
  for (const auto* bad : {"us-west1", "us-west1-", "us-west-b", "US-west1-b", "west1-b", "",
                          "us--west1-b", "us-west1-bb"}) {
    EXPECT_NE(check_zone(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(check_gcp_project("learning-deeply"), std::nullopt);
  EXPECT_EQ(check_gcp_project("example.com:ml-team"), std::nullopt);
  EXPECT_NE(check_gcp_project("short"), std::nullopt);
  EXPECT_NE(check_gcp_project("1project"), std::nullopt);
  EXPECT_NE(check_gcp_project("project-"), std::nullopt);
  EXPECT_EQ(check_gcp_resource_name("n1-standard-4"), std::nullopt);
  EXPECT_EQ(check_gcp_resource_name("nvidia-a100-80gb"), std::nullopt);
  EXPECT_NE(check_gcp_resource_name("N1"), std::nullopt);
  EXPECT_NE(check_gcp_resource_name("4-cpu"), std::nullopt);
}

}  // namespace
}  // namespace deepdock::core::spec_values
