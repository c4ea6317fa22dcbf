// Image archives against the real engine (DOCKER_HOST): what `--ship` relies on. A save
// with the base layer left out is a fraction of the full one; the engine loads it, reading
// the base from its own store, and gives back the very image; an archive that leaves out
// a layer the engine lacks is refused with the engine's reason.
#include <gtest/gtest.h>

#include <string>

#include "app/ship_image.hpp"
#include "core/model/image_layers.hpp"
#include "engine_test_support.hpp"

namespace deepdock::adapters::docker::integration {
namespace {

namespace fs = std::filesystem;

class ImageArchiveIntegrationTest : public BaseImageEngineTest {
 protected:
  // base + two layers of its own.
  core::ImageInfo build(Cleanup& cleanup, const std::string& tag) {
    core::BuildRequest request;
    request.extra_files["Dockerfile"] =
        "FROM " + base_image_ + "\nRUN echo one > /one\n" + "RUN echo " + run_id() + " > /two\n";
    request.tags = {tag};
    request.labels = {{"deepdock.test-run", run_id()}};
    request.network_mode = "host";
    cleanup.image(tag);
    const auto built = engine_->build_image(request, {});
    EXPECT_TRUE(built) << built.error().message;
    const auto image = engine_->inspect_image(tag);
    EXPECT_TRUE(image) << image.error().message;
    return image ? *image : core::ImageInfo{};
  }
};

TEST_F(ImageArchiveIntegrationTest, AnArchiveWithoutTheLayersTheEngineHasLoadsAsTheSameImage) {
  Cleanup cleanup(*engine_);
  const std::string tag = "deepdock-it/archive-" + run_id() + ":1";
  const core::ImageInfo image = build(cleanup, tag);
  ASSERT_EQ(image.layers.size(), base_.layers.size() + 2);
  const fs::path dir = cleanup.temp_dir("archive");

  const auto full = engine_->save_image(tag, {}, dir / "full.tar");
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->layers_left_out, 0U);

  // The engine holds the base: its layers are left out.
  std::set<std::string> held;
  for (std::string& chain : core::chain_ids(base_.layers)) {
    held.insert(std::move(chain));
  }
  const std::set<std::string> omit = core::layers_present(image.layers, held);
  EXPECT_EQ(omit.size(), base_.layers.size());
  const auto partial = engine_->save_image(tag, omit, dir / "partial.tar");
  ASSERT_TRUE(partial) << partial.error().message;
  EXPECT_EQ(partial->layers_left_out, base_.layers.size());
  EXPECT_GT(partial->bytes_left_out, 10U << 20) << "the debootstrap base is tens of MB";
  EXPECT_LT(partial->bytes * 100, full->bytes) << partial->bytes << " of " << full->bytes;

  ASSERT_TRUE(engine_->remove_image(tag, false));
  EXPECT_EQ(code_of(engine_->inspect_image(tag)), ErrorCode::kNotFound);
  const auto loaded = engine_->load_image(dir / "partial.tar", {});
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto back = engine_->inspect_image(tag);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, image.id);

  const auto id = engine_->create_container(idle_container(tag, "deepdock-it-archive"));
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  ASSERT_TRUE(engine_->start_container(*id));
  const auto read = engine_->exec(*id, {.cmd = {"cat", "/one", "/two"}}, {});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->stdout_text, "one\n" + run_id() + "\n");

  // Shipping to an engine that has the image sends nothing.
  const auto shipped = app::ship_image(*engine_, *engine_, tag, dir, {});
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_FALSE(shipped->sent);
}

TEST_F(ImageArchiveIntegrationTest, LeavingOutALayerTheEngineLacksIsRefusedWithItsReason) {
  Cleanup cleanup(*engine_);
  const std::string tag = "deepdock-it/archive-missing-" + run_id() + ":1";
  const core::ImageInfo image = build(cleanup, tag);
  ASSERT_GE(image.layers.size(), 2U);
  const fs::path dir = cleanup.temp_dir("archive-missing");
  // Every layer left out, then the image removed: its own two layers are gone from the store.
  const std::set<std::string> omit(image.layers.begin(), image.layers.end());
  const auto saved = engine_->save_image(tag, omit, dir / "hollow.tar");
  ASSERT_TRUE(saved) << saved.error().message;
  ASSERT_TRUE(engine_->remove_image(tag, false));
  const auto loaded = engine_->load_image(dir / "hollow.tar", {});
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("loading the image archive"), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("layer.tar"), std::string::npos) << loaded.error().message;
  EXPECT_EQ(code_of(engine_->inspect_image(tag)), ErrorCode::kNotFound);
}

TEST_F(ImageArchiveIntegrationTest, SavingAnImageTheEngineLacksIsNotFound) {
  const fs::path out = fs::temp_directory_path() / ("deepdock-it-none-" + run_id() + ".tar");
  const auto saved = engine_->save_image("deepdock-it/no-such-image:" + run_id(), {}, out);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kNotFound) << saved.error().message;
  std::error_code ignored;
  fs::remove(out, ignored);
}

}  // namespace
}  // namespace deepdock::adapters::docker::integration
