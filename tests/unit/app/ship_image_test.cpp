#include "app/ship_image.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/model/image_layers.hpp"
#include "fakes/fake_engine.hpp"

namespace deepdock::app {
namespace {

using testing::FakeEngine;
namespace fs = std::filesystem;

constexpr const char* kImage = "deepdock/bert:3f2a";

class ShipImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = fs::temp_directory_path() / ("deepdock-ship-test-" + std::to_string(::getpid()));
    here_.images[kImage] = core::ImageInfo{.id = "sha256:img",
                                           .repo_tags = {kImage},
                                           .layers = {"sha256:base", "sha256:torch", "sha256:pip"}};
  }
  void TearDown() override { fs::remove_all(work_); }

  // The host holds an image with these layers.
  void host_has(const std::string& ref, std::vector<std::string> layers) {
    there_.images[ref] = core::ImageInfo{.id = "sha256:" + ref, .layers = std::move(layers)};
  }

  Result<ShipResult> ship() { return ship_image(here_, there_, kImage, work_, {}); }

  FakeEngine here_;
  FakeEngine there_;
  fs::path work_;
};

TEST_F(ShipImageTest, AnImageAlreadyThereIsNotSent) {
  there_.images[kImage] = here_.images[kImage];
  const auto shipped = ship();
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_FALSE(shipped->sent);
  EXPECT_EQ(ship_summary(*shipped), "already there");
  EXPECT_TRUE(here_.saved_omits.empty());
}

TEST_F(ShipImageTest, OnlyTheLayersTheHostLacksAreSent) {
  host_has("old", {"sha256:base", "sha256:torch", "sha256:oldpip"});
  const auto shipped = ship();
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_TRUE(shipped->sent);
  EXPECT_EQ(shipped->layers, 3U);
  EXPECT_EQ(shipped->layers_sent, 1U);
  ASSERT_EQ(here_.saved_omits.size(), 1U);
  EXPECT_EQ(here_.saved_omits[0], (std::set<std::string>{"sha256:base", "sha256:torch"}));
  const auto arrived = there_.inspect_image(kImage);
  ASSERT_TRUE(arrived);
  EXPECT_EQ(arrived->id, "sha256:img");
  EXPECT_TRUE(ship_summary(*shipped).starts_with("sent 1 of 3 layers")) << ship_summary(*shipped);
  // The archive does not outlive the shipment.
  EXPECT_TRUE(fs::is_empty(work_));
}

TEST_F(ShipImageTest, ABareHostGetsEveryLayer) {
  const auto shipped = ship();
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_EQ(shipped->layers_sent, 3U);
  EXPECT_TRUE(here_.saved_omits.at(0).empty());
}

TEST_F(ShipImageTest, ALayerOnAnotherBaseIsSentAgain) {
  host_has("other", {"sha256:otherbase", "sha256:torch"});
  const auto shipped = ship();
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_EQ(shipped->layers_sent, 3U);
}

TEST_F(ShipImageTest, AMissingImageHereSaysWhichAndSendsNothing) {
  here_.images.clear();
  const auto shipped = ship();
  ASSERT_FALSE(shipped);
  EXPECT_EQ(shipped.error().code, ErrorCode::kNotFound);
  EXPECT_NE(shipped.error().message.find(kImage), std::string::npos);
  EXPECT_TRUE(there_.calls.empty());
}

TEST_F(ShipImageTest, AFailedLoadIsReportedAndLeavesNoArchive) {
  there_.failures.emplace("load_image", Error{ErrorCode::kFailure, "no space left on device"});
  const auto shipped = ship();
  ASSERT_FALSE(shipped);
  EXPECT_NE(shipped.error().message.find("no space left"), std::string::npos);
  EXPECT_NE(shipped.error().message.find("shipping image"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(work_));
}

TEST_F(ShipImageTest, AnUnreachableHostEngineIsReportedBeforeAnythingIsSaved) {
  there_.failures.emplace("list_images",
                          Error{ErrorCode::kPrecondition, "cannot reach the Docker engine"});
  const auto shipped = ship();
  ASSERT_FALSE(shipped);
  EXPECT_EQ(shipped.error().code, ErrorCode::kPrecondition);
  EXPECT_TRUE(here_.saved_omits.empty());
}

}  // namespace
}  // namespace deepdock::app
