#include "core/model/image_ref.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(ImageRefTest, BareNameIsDockerHubLibraryLatest) {
  const auto ref = ImageRef::parse("ubuntu").value();
  EXPECT_EQ(ref.registry, "docker.io");
  EXPECT_EQ(ref.repository, "library/ubuntu");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.name(), "ubuntu");
  EXPECT_EQ(ref.str(), "ubuntu:latest");
  EXPECT_EQ(ref.auth_key(), "https://index.docker.io/v1/");
}

TEST(ImageRefTest, OrganisationImageWithTag) {
  const auto ref = ImageRef::parse("tensorflow/tensorflow:2.15.0-gpu-jupyter").value();
  EXPECT_EQ(ref.repository, "tensorflow/tensorflow");
  EXPECT_EQ(ref.tag, "2.15.0-gpu-jupyter");
  EXPECT_EQ(ref.name(), "tensorflow/tensorflow");
}

TEST(ImageRefTest, RegistryWithPortIsNotMistakenForATag) {
  const auto ref = ImageRef::parse("127.0.0.1:5000/envs/bert").value();
  EXPECT_EQ(ref.registry, "127.0.0.1:5000");
  EXPECT_EQ(ref.repository, "envs/bert");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.auth_key(), "127.0.0.1:5000");
  EXPECT_EQ(ref.str(), "127.0.0.1:5000/envs/bert:latest");
}

TEST(ImageRefTest, ArtifactRegistryPathAndLocalhost) {
  const auto ar = ImageRef::parse("us-west1-docker.pkg.dev/learning-deeply/envs/x:abc").value();
  EXPECT_EQ(ar.registry, "us-west1-docker.pkg.dev");
  EXPECT_EQ(ar.repository, "learning-deeply/envs/x");
  const auto local = ImageRef::parse("localhost/x:1").value();
  EXPECT_EQ(local.registry, "localhost");
}

TEST(ImageRefTest, DigestReference) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  const auto ref = ImageRef::parse("nvidia/cuda@" + digest).value();
  EXPECT_EQ(ref.digest, digest);
  EXPECT_TRUE(ref.tag.empty());
  EXPECT_EQ(ref.str(), "nvidia/cuda@" + digest);
}

TEST(ImageRefTest, RejectsMalformedReferencesWithAHint) {
  for (const char* bad : {"", "Ubuntu", "ubuntu:bad tag", "x@sha256:short", "ubuntu:"}) {
    const auto ref = ImageRef::parse(bad);
    ASSERT_FALSE(ref) << bad;
    EXPECT_EQ(ref.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(ref.error().hint.find("[registry/]repository[:tag]"), std::string::npos);
  }
}

}  // namespace
}  // namespace deepdock::core
