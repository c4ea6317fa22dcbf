#include "adapters/docker/image_archive_filter.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "adapters/docker/archive.hpp"
#include "util/sha256.hpp"

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMtime = 1700000000;

// The regular files and symlinks of a tar on disk: name -> content or "-> target".
std::map<std::string, std::string> entries_of(const fs::path& path) {
  std::map<std::string, std::string> out;
  archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  EXPECT_EQ(archive_read_open_filename(reader, path.c_str(), 1 << 16), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    const std::string name = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) == AE_IFLNK) {
      out[name] = std::string("-> ") + archive_entry_symlink(entry);
      continue;
    }
    std::string content(static_cast<size_t>(archive_entry_size(entry)), '\0');
    if (!content.empty()) {
      archive_read_data(reader, content.data(), content.size());
    }
    out[name] = content;
  }
  archive_read_free(reader);
  return out;
}

class ImageArchiveFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("deepdock-filter-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A save archive in the legacy layout: two layers, a symlink for a repeated layer, the
  // config and the manifest.
  fs::path write_save(const std::string& base_layer, const std::string& top_layer) {
    auto writer = TarWriter::to_file(dir_ / "save.tar");
    EXPECT_TRUE(writer);
    EXPECT_TRUE(writer->add_directory("aaa", 0755, kMtime));
    EXPECT_TRUE(writer->add_file("aaa/VERSION", "1.0", 0644, kMtime));
    EXPECT_TRUE(writer->add_file("aaa/layer.tar", top_layer, 0644, kMtime));
    EXPECT_TRUE(writer->add_directory("bbb", 0755, kMtime));
    EXPECT_TRUE(writer->add_file("bbb/layer.tar", base_layer, 0644, kMtime));
    EXPECT_TRUE(writer->add_directory("ccc", 0755, kMtime));
    EXPECT_TRUE(writer->add_symlink("ccc/layer.tar", "../bbb/layer.tar", kMtime));
    EXPECT_TRUE(writer->add_file("config.json", R"({"rootfs":{}})", 0644, kMtime));
    EXPECT_TRUE(writer->add_file("manifest.json", R"([{"Layers":[]}])", 0644, kMtime));
    EXPECT_TRUE(writer->finish());
    return dir_ / "save.tar";
  }

  Result<ImageArchiveCopy> copy(const fs::path& input, const std::set<std::string>& omit) {
    const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    auto copied = copy_image_archive(fd, omit, dir_ / "out.tar", dir_);
    ::close(fd);
    return copied;
  }

  fs::path dir_;
};

TEST_F(ImageArchiveFilterTest, LeavesOutTheLayersWhoseDigestIsOmittedAndKeepsTheRest) {
  const std::string base(300000, 'b');
  const std::string top = "the top layer";
  const auto copied = copy(write_save(base, top), {"sha256:" + util::sha256_hex(base)});
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_EQ(copied->files_left_out, 1U);
  EXPECT_EQ(copied->bytes_left_out, base.size());
  const auto entries = entries_of(dir_ / "out.tar");
  EXPECT_FALSE(entries.contains("bbb/layer.tar"));
  EXPECT_EQ(entries.at("aaa/layer.tar"), top);
  EXPECT_EQ(entries.at("aaa/VERSION"), "1.0");
  EXPECT_EQ(entries.at("ccc/layer.tar"), "-> ../bbb/layer.tar");  // never read by the engine
  EXPECT_EQ(entries.at("manifest.json"), R"([{"Layers":[]}])");
  EXPECT_EQ(entries.at("config.json"), R"({"rootfs":{}})");
  EXPECT_LT(copied->bytes_written, base.size());
}

TEST_F(ImageArchiveFilterTest, NothingOmittedCopiesEverything) {
  const auto copied = copy(write_save("base", "top"), {});
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_EQ(copied->files_left_out, 0U);
  const auto entries = entries_of(dir_ / "out.tar");
  EXPECT_EQ(entries.at("bbb/layer.tar"), "base");
  EXPECT_EQ(entries.at("aaa/layer.tar"), "top");
}

TEST_F(ImageArchiveFilterTest, ALayerLargerThanMemoryIsSpooledAndCopiedWhole) {
  // Past the 64 MiB held in memory: the content goes through the spool file.
  std::string big(size_t{70} << 20, '\0');
  for (size_t i = 0; i < big.size(); i += 4096) {
    big[i] = static_cast<char>('a' + (i / 4096) % 26);
  }
  const auto copied = copy(write_save("base", big), {"sha256:" + util::sha256_hex("base")});
  ASSERT_TRUE(copied) << copied.error().message;
  const auto entries = entries_of(dir_ / "out.tar");
  EXPECT_EQ(entries.at("aaa/layer.tar").size(), big.size());
  EXPECT_TRUE(entries.at("aaa/layer.tar") == big);
  // The spool file is gone.
  for (const auto& item : fs::directory_iterator(dir_)) {
    EXPECT_EQ(item.path().extension(), ".tar") << item.path();
    EXPECT_FALSE(item.path().filename().string().starts_with("deepdock-layer-"));
  }
}

TEST_F(ImageArchiveFilterTest, ATruncatedArchiveIsAnError) {
  const fs::path save = write_save(std::string(100000, 'x'), "top");
  fs::resize_file(save, 50000);
  const auto copied = copy(save, {});
  ASSERT_FALSE(copied);
  EXPECT_NE(copied.error().message.find("layer.tar"), std::string::npos) << copied.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::docker
