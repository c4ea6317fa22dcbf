#include "adapters/docker/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::perms perms_of(const fs::path& path) {
  return fs::symlink_status(path).permissions() & fs::perms::mask;
}

// A tar with arbitrary (hostile) names, written without TarWriter's checks.
struct RawEntry {
  std::string name;
  unsigned int type = AE_IFREG;
  std::string content;
  std::string link;  // symlink target
};

la_ssize_t append(archive* /*handle*/, void* client, const void* data, size_t size) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

std::string raw_tar(const std::vector<RawEntry>& entries) {
  std::string out;
  archive* writer = archive_write_new();
  archive_write_set_format_pax_restricted(writer);
  archive_write_open(writer, &out, nullptr, append, nullptr);
  for (const RawEntry& raw : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, raw.name.c_str());
    archive_entry_set_filetype(entry, raw.type);
    archive_entry_set_perm(entry, raw.type == AE_IFDIR ? 0755 : 0644);
    if (raw.type == AE_IFLNK) {
      archive_entry_copy_symlink(entry, raw.link.c_str());
    }
    archive_entry_set_size(entry, static_cast<la_int64_t>(raw.content.size()));
    archive_write_header(writer, entry);
    archive_write_data(writer, raw.content.data(), raw.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return out;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "deepdock-archive-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    dest_ = dir_ / "dest";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Extraction of `tar` must fail naming `entry`, and leave nothing outside dest_.
  void expect_refused(const std::string& tar, const std::string& entry) {
    const Status status = untar_to(tar, dest_);
    ASSERT_FALSE(status.has_value()) << entry;
    EXPECT_EQ(status.error().code, ErrorCode::kFailure);
    EXPECT_NE(status.error().message.find(entry), std::string::npos) << status.error().message;
    EXPECT_FALSE(fs::exists(dir_ / "evil"));
  }

  fs::path dir_;
  fs::path dest_;
};

TEST_F(ArchiveTest, SingleFileRoundTripKeepsContentAndMode) {
  auto tar = tar_single_file("probe.sh", "#!/bin/sh\necho ok\n", 0750);
  ASSERT_TRUE(tar.has_value()) << tar.error().message;
  ASSERT_TRUE(untar_to(*tar, dest_).has_value());
  EXPECT_EQ(read_file(dest_ / "probe.sh"), "#!/bin/sh\necho ok\n");
  EXPECT_EQ(perms_of(dest_ / "probe.sh"), fs::perms(0750));
}

TEST_F(ArchiveTest, DirectoryRoundTripKeepsTreeModesAndSymlinks) {
  const fs::path src = dir_ / "project";
  fs::create_directories(src / "sub" / "deeper");
  std::ofstream(src / "run.sh") << "run";
  fs::permissions(src / "run.sh", fs::perms(0755));
  std::ofstream(src / "sub" / "deeper" / "data.bin") << std::string(200000, '\x01');
  fs::permissions(src / "sub", fs::perms(0700));
  fs::create_symlink("../run.sh", src / "sub" / "run-link");

  auto tar = tar_path(src);
  ASSERT_TRUE(tar.has_value()) << tar.error().message;
  ASSERT_TRUE(untar_to(*tar, dest_).has_value());
  EXPECT_EQ(read_file(dest_ / "project" / "run.sh"), "run");
  EXPECT_EQ(perms_of(dest_ / "project" / "run.sh"), fs::perms(0755));
  EXPECT_EQ(perms_of(dest_ / "project" / "sub"), fs::perms(0700));
  EXPECT_EQ(read_file(dest_ / "project" / "sub" / "deeper" / "data.bin").size(), 200000U);
  ASSERT_TRUE(fs::is_symlink(dest_ / "project" / "sub" / "run-link"));
  EXPECT_EQ(fs::read_symlink(dest_ / "project" / "sub" / "run-link"), fs::path("../run.sh"));
}

TEST_F(ArchiveTest, PathWithTrailingSlashUsesTheDirectoryName) {
  fs::create_directories(dir_ / "out");
  std::ofstream(dir_ / "out" / "f") << "x";
  auto tar = tar_path(dir_.string() + "/out/");
  ASSERT_TRUE(tar.has_value()) << tar.error().message;
  ASSERT_TRUE(untar_to(*tar, dest_).has_value());
  EXPECT_EQ(read_file(dest_ / "out" / "f"), "x");
}

TEST_F(ArchiveTest, SingleFileRootIsItsBasename) {
  std::ofstream(dir_ / "notes.txt") << "n";
  auto tar = tar_path(dir_ / "notes.txt");
  ASSERT_TRUE(tar.has_value());
  ASSERT_TRUE(untar_to(*tar, dest_).has_value());
  EXPECT_EQ(read_file(dest_ / "notes.txt"), "n");
}

TEST_F(ArchiveTest, MissingPathIsNotFound) {
  auto tar = tar_path(dir_ / "absent");
  ASSERT_FALSE(tar.has_value());
  EXPECT_EQ(tar.error().code, ErrorCode::kNotFound);
}

TEST_F(ArchiveTest, DotDotEscapeIsRefused) {
  expect_refused(raw_tar({{"../evil", AE_IFREG, "x", ""}}), "../evil");
  expect_refused(raw_tar({{"ok/../../evil", AE_IFREG, "x", ""}}), "ok/../../evil");
}

TEST_F(ArchiveTest, AbsolutePathIsRefused) {
  expect_refused(raw_tar({{(dir_ / "evil").string(), AE_IFREG, "x", ""}}),
                 (dir_ / "evil").string());
}

TEST_F(ArchiveTest, SymlinkPointingOutsideIsRefused) {
  expect_refused(raw_tar({{"link", AE_IFLNK, "", "/etc"}}), "link");
  expect_refused(raw_tar({{"a/link", AE_IFLNK, "", "../../evil"}}), "a/link");
}

TEST_F(ArchiveTest, WritingThroughASymlinkIsRefused) {
  // "ln" stays inside by itself, but a later entry must not be written through it.
  const std::string tar = raw_tar(
      {{"sub", AE_IFDIR, "", ""}, {"ln", AE_IFLNK, "", "sub"}, {"ln/file", AE_IFREG, "x", ""}});
  const Status status = untar_to(tar, dest_);
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("ln/file"), std::string::npos) << status.error().message;
  EXPECT_FALSE(fs::exists(dest_ / "sub" / "file"));
}

TEST_F(ArchiveTest, InsideSymlinksAreKept) {
  const std::string tar =
      raw_tar({{"a/b/target", AE_IFREG, "t", ""}, {"a/link", AE_IFLNK, "", "b/../b/target"}});
  ASSERT_TRUE(untar_to(tar, dest_).has_value());
  EXPECT_EQ(read_file(dest_ / "a" / "link"), "t");
}

TEST_F(ArchiveTest, WriterRefusesEscapingNames) {
  auto writer = TarWriter::to_memory();
  ASSERT_TRUE(writer.has_value());
  EXPECT_EQ(writer->add_file("../x", "", 0644, 0).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(writer->add_file("/abs", "", 0644, 0).error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(writer->add_file("./fine", "", 0644, 0).has_value());
}

TEST_F(ArchiveTest, GarbageIsNotAnArchive) {
  const Status status = untar_to("this is not a tar archive at all", dest_);
  EXPECT_FALSE(status.has_value());
}

}  // namespace
}  // namespace deepdock::adapters::docker
