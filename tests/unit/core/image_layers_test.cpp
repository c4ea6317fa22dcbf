#include "core/model/image_layers.hpp"

#include <gtest/gtest.h>

namespace deepdock::core {
namespace {

// Two layers of an image built on the test engine (Debian 20.10.24): the debootstrapped
// base and one RUN. The engine stored the second under the chain ID below (`docker rmi`
// printed "Deleted: sha256:4f498b5f…" for it).
constexpr const char* kBase =
    "sha256:8e348bd5e8173cad0b74ac46cd95ace2a2afe913494f0d3aae6003924b672327";
constexpr const char* kRun =
    "sha256:93bcf7ee36e6be5734ea851b6e97210f8eb1dc2ac8a0f73e135d9bc7fa80aece";
constexpr const char* kRunChain =
    "sha256:4f498b5f0e103000246476157e8ac326c90018579002ca4f7eeeee4f0db718a9";

TEST(ImageLayersTest, ChainIdsAreWhatTheEngineStores) {
  const std::vector<std::string> chains = chain_ids({kBase, kRun});
  ASSERT_EQ(chains.size(), 2U);
  EXPECT_EQ(chains[0], kBase);
  EXPECT_EQ(chains[1], kRunChain);
  EXPECT_TRUE(chain_ids({}).empty());
}

TEST(ImageLayersTest, TheSameContentOnAnotherBaseIsAnotherLayer) {
  EXPECT_NE(chain_ids({"sha256:other", kRun})[1], kRunChain);
}

TEST(ImageLayersTest, LayersPresentAreThoseWhoseChainsTheReceiverHolds) {
  const std::vector<std::string> image = {kBase, kRun, "sha256:top"};
  const std::vector<std::string> chains = chain_ids(image);
  EXPECT_EQ(layers_present(image, {}), std::set<std::string>{});
  EXPECT_EQ(layers_present(image, {chains[0]}), std::set<std::string>{kBase});
  EXPECT_EQ(layers_present(image, {chains[0], chains[1]}), (std::set<std::string>{kBase, kRun}));
  // The receiver holds kRun on another base only: it must still be sent.
  EXPECT_EQ(layers_present(image, {chains[0], chain_ids({"sha256:other", kRun})[1]}),
            std::set<std::string>{kBase});
}

TEST(ImageLayersTest, ARepeatedLayerIsLeftOutOnlyWhereEveryPlaceOfItIsHeld) {
  // The same (empty) layer tar twice: one file in the archive serves both places.
  const std::vector<std::string> image = {kBase, "sha256:empty", kRun, "sha256:empty"};
  const std::vector<std::string> chains = chain_ids(image);
  EXPECT_EQ(layers_present(image, {chains[0], chains[1]}), std::set<std::string>{kBase});
  EXPECT_EQ(layers_present(image, {chains[0], chains[1], chains[2], chains[3]}),
            (std::set<std::string>{kBase, "sha256:empty", kRun}));
}

}  // namespace
}  // namespace deepdock::core
