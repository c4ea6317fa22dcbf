#include "core/model/gcp_image_family.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

TEST(GcpImageFamilyTest, AKnownFamilyNamesItsProjectImageAndOs) {
  const auto ubuntu = gcp_image_family("ubuntu-2204-lts");
  ASSERT_TRUE(ubuntu.has_value());
  EXPECT_EQ(ubuntu->source_image(),
            "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts");
  EXPECT_EQ(ubuntu->os_id, "ubuntu");
  EXPECT_EQ(ubuntu->os_version, "22.04");
  const auto debian = gcp_image_family("debian-12");
  ASSERT_TRUE(debian.has_value());
  EXPECT_EQ(debian->project, "debian-cloud");
  EXPECT_EQ(debian->os_version, "12");
}

TEST(GcpImageFamilyTest, AnUnknownFamilyIsRefusedWithTheKnownOnes) {
  const auto result = gcp_image_family("centos-7");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(result.error().message.find("centos-7"), std::string::npos);
  EXPECT_NE(result.error().hint.find("ubuntu-2204-lts"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::core
