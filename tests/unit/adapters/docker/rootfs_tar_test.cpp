// write_rootfs_tar and TarOwners::kKeep: a root file system's owners, modes, links, device
// nodes and file capabilities reach the tar as they are on disk.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "adapters/docker/archive.hpp"

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

struct ReadEntry {
  unsigned int type = 0;
  int64_t uid = -1;
  int64_t gid = -1;
  unsigned int perm = 0;
  int64_t size = 0;
  std::string symlink;
  std::string hardlink;
  dev_t rdev = 0;
  std::string content;
  std::map<std::string, std::string> xattrs;
};

// Every entry of a tar, in order, by name.
std::vector<std::pair<std::string, ReadEntry>> read_tar(const std::string& bytes) {
  std::vector<std::pair<std::string, ReadEntry>> out;
  archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  EXPECT_EQ(archive_read_open_memory(reader, bytes.data(), bytes.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    ReadEntry read;
    read.type = archive_entry_filetype(entry);
    read.uid = archive_entry_uid(entry);
    read.gid = archive_entry_gid(entry);
    read.perm = archive_entry_perm(entry);
    read.size = archive_entry_size(entry);
    read.symlink = archive_entry_symlink(entry) != nullptr ? archive_entry_symlink(entry) : "";
    read.hardlink = archive_entry_hardlink(entry) != nullptr ? archive_entry_hardlink(entry) : "";
    read.rdev = archive_entry_rdev(entry);
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    archive_entry_xattr_reset(entry);
    while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
      read.xattrs[name] = std::string(static_cast<const char*>(value), size);
    }
    std::string content(static_cast<size_t>(std::max<int64_t>(read.size, 0)), '\0');
    if (!content.empty()) {
      archive_read_data(reader, content.data(), content.size());
    }
    read.content = content;
    out.emplace_back(archive_entry_pathname(entry), read);
  }
  archive_read_free(reader);
  return out;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class RootfsTarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "giving files other owners needs root";
    }
    base_ =
        fs::temp_directory_path() / ("deepdock-rootfs-" + std::to_string(std::random_device()()));
    root_ = base_ / "root";
    fs::create_directories(root_ / "usr/bin");
    fs::create_directories(root_ / "home/user");
    std::ofstream(root_ / "usr/bin/su") << "setuid binary";
    std::ofstream(root_ / "usr/bin/perl") << "linked twice";
    std::ofstream(root_ / "home/user/notes") << "mine";
    ::chmod((root_ / "usr/bin/su").c_str(), 04755);
    ::chown((root_ / "home/user").c_str(), 1000, 1000);
    ::chown((root_ / "home/user/notes").c_str(), 1000, 2000);
    ::chmod((root_ / "home/user/notes").c_str(), 0600);
    fs::create_hard_link(root_ / "usr/bin/perl", root_ / "usr/bin/perl5.36");
    fs::create_symlink("usr/bin", root_ / "bin");
    ::lchown((root_ / "bin").c_str(), 7, 8);
    ::mkfifo((root_ / "usr/fifo").c_str(), 0640);
  }
  void TearDown() override {
    if (!base_.empty()) {
      fs::remove_all(base_);
    }
  }
  std::vector<std::pair<std::string, ReadEntry>> written() {
    const fs::path tar = base_ / "rootfs.tar";
    auto done = write_rootfs_tar(root_, tar);
    EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
    return read_tar(slurp(tar));
  }
  static const ReadEntry& find(const std::vector<std::pair<std::string, ReadEntry>>& entries,
                               const std::string& name) {
    for (const auto& [entry_name, entry] : entries) {
      if (entry_name == name) {
        return entry;
      }
    }
    ADD_FAILURE() << "no entry " << name;
    static const ReadEntry none;
    return none;
  }
  fs::path base_;
  fs::path root_;
};

TEST_F(RootfsTarTest, KeepsNumericOwnersAndSetuidModes) {
  const auto entries = written();
  const ReadEntry& notes = find(entries, "home/user/notes");
  EXPECT_EQ(notes.uid, 1000);
  EXPECT_EQ(notes.gid, 2000);
  EXPECT_EQ(notes.perm, 0600U);
  EXPECT_EQ(notes.content, "mine");
  const ReadEntry& home = find(entries, "home/user/");
  EXPECT_EQ(home.type, static_cast<unsigned int>(AE_IFDIR));
  EXPECT_EQ(home.uid, 1000);
  const ReadEntry& su = find(entries, "usr/bin/su");
  EXPECT_EQ(su.perm, 04755U);
  EXPECT_EQ(su.uid, 0);
}

TEST_F(RootfsTarTest, KeepsSymlinksHardLinksAndFifos) {
  const auto entries = written();
  const ReadEntry& bin = find(entries, "bin");
  EXPECT_EQ(bin.type, static_cast<unsigned int>(AE_IFLNK));
  EXPECT_EQ(bin.symlink, "usr/bin");
  EXPECT_EQ(bin.uid, 7);
  EXPECT_EQ(bin.gid, 8);
  // The first name in order carries the data; the second only points at it.
  const ReadEntry& perl = find(entries, "usr/bin/perl");
  EXPECT_EQ(perl.content, "linked twice");
  EXPECT_TRUE(perl.hardlink.empty());
  const ReadEntry& perl5 = find(entries, "usr/bin/perl5.36");
  EXPECT_EQ(perl5.hardlink, "usr/bin/perl");
  EXPECT_EQ(perl5.size, 0);
  const ReadEntry& fifo = find(entries, "usr/fifo");
  EXPECT_EQ(fifo.type, static_cast<unsigned int>(AE_IFIFO));
  EXPECT_EQ(fifo.perm, 0640U);
}

TEST_F(RootfsTarTest, EntriesAreRelativeSortedAndTheRootIsLeftOut) {
  const auto entries = written();
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries) {
    names.push_back(name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"bin", "home/", "home/user/", "home/user/notes",
                                             "usr/", "usr/bin/", "usr/bin/perl", "usr/bin/perl5.36",
                                             "usr/bin/su", "usr/fifo"}));
}

TEST_F(RootfsTarTest, KeepsDeviceNodes) {
  if (::mknod((root_ / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod is not allowed here: " << std::strerror(errno);
  }
  ::chmod((root_ / "null").c_str(), 0666);  // past the umask
  const auto entries = written();
  const ReadEntry& null = find(entries, "null");
  EXPECT_EQ(null.type, static_cast<unsigned int>(AE_IFCHR));
  EXPECT_EQ(null.rdev, makedev(1, 3));
  EXPECT_EQ(null.perm, 0666U);
}

TEST_F(RootfsTarTest, KeepsFileCapabilities) {
  // A version-2 capability set holding cap_net_raw (13), as `setcap cap_net_raw+ep` writes.
  const std::string capability(
      "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00",
      20);
  if (::setxattr((root_ / "usr/bin/su").c_str(), "security.capability", capability.data(),
                 capability.size(), 0) != 0) {
    GTEST_SKIP() << "file capabilities cannot be set here: " << std::strerror(errno);
  }
  const auto entries = written();
  const ReadEntry& su = find(entries, "usr/bin/su");
  ASSERT_TRUE(su.xattrs.contains("security.capability"));
  EXPECT_EQ(su.xattrs.at("security.capability"), capability);
}

TEST_F(RootfsTarTest, BuildContextWriterStillMakesEverythingRootOwned) {
  auto bytes = tar_path(root_ / "home");
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  const auto entries = read_tar(*bytes);
  const ReadEntry& notes = find(entries, "home/user/notes");
  EXPECT_EQ(notes.uid, 0);
  EXPECT_EQ(notes.gid, 0);
}

TEST(RootfsTarMissingTest, MissingDirectoryIsNotFound) {
  auto done = write_rootfs_tar("/nonexistent/deepdock-rootfs", "/tmp/deepdock-never.tar");
  ASSERT_FALSE(done.has_value());
  EXPECT_EQ(done.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists("/tmp/deepdock-never.tar"));
}

}  // namespace
}  // namespace deepdock::adapters::docker
