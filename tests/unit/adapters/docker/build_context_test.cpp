#include "adapters/docker/build_context.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

struct TarEntry {
  std::string name;
  unsigned int type = 0;
  unsigned int perm = 0;
  int64_t uid = -1;
  int64_t gid = -1;
  int64_t mtime = 0;
  std::string symlink;
  std::string content;
};

// Reads a tar back with libarchive, in archive order.
std::vector<TarEntry> read_tar(const fs::path& file) {
  std::vector<TarEntry> entries;
  archive* reader = archive_read_new();
  archive_read_support_format_tar(reader);
  EXPECT_EQ(archive_read_open_filename(reader, file.c_str(), 10240), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    TarEntry out;
    out.name = archive_entry_pathname(entry);
    out.type = archive_entry_filetype(entry);
    out.perm = archive_entry_perm(entry);
    out.uid = archive_entry_uid(entry);
    out.gid = archive_entry_gid(entry);
    out.mtime = archive_entry_mtime(entry);
    if (const char* link = archive_entry_symlink(entry); link != nullptr) {
      out.symlink = link;
    }
    std::string buffer(4096, '\0');
    la_ssize_t got = 0;
    while ((got = archive_read_data(reader, buffer.data(), buffer.size())) > 0) {
      out.content.append(buffer.data(), static_cast<size_t>(got));
    }
    entries.push_back(out);
  }
  archive_read_free(reader);
  return entries;
}

std::vector<std::string> names(const std::vector<TarEntry>& entries) {
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (const TarEntry& entry : entries) {
    out.push_back(entry.name);
  }
  return out;
}

const TarEntry* find(const std::vector<TarEntry>& entries, const std::string& name) {
  for (const TarEntry& entry : entries) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

class BuildContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "deepdock-context-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void write(const std::string& relative, const std::string& content,
             fs::perms perms = fs::perms(0644)) {
    const fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    fs::permissions(path, perms);
  }

  fs::path dir_;
};

TEST_F(BuildContextTest, HonoursDockerignoreAndAddsExtraFiles) {
  write("Dockerfile", "FROM debian:bookworm\n");
  write(".dockerignore", "*.log\nsecret/\nDockerfile\n.dockerignore\n!keep.log\n");
  write("app.py", "print('on disk')\n", fs::perms(0755));
  write("data.log", "noise");
  write("keep.log", "kept");
  write("secret/key.pem", "PRIVATE");
  write("src/main.py", "main", fs::perms(0640));
  fs::create_symlink("src/main.py", dir_ / "link");
  const timespec times[2] = {{1600000000, 0}, {1600000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir_ / "src/main.py").c_str(), times, 0), 0);

  core::BuildRequest request;
  request.context_dir = dir_;
  request.extra_files = {{"generated/entry.sh", "#!/bin/sh\n"}, {"app.py", "overridden"}};
  auto context = write_build_context(request);
  ASSERT_TRUE(context.has_value()) << context.error().message;
  EXPECT_GT(context->size(), 0U);

  const std::vector<TarEntry> entries = read_tar(context->path());
  EXPECT_EQ(names(entries),
            (std::vector<std::string>{".dockerignore", "Dockerfile", "app.py", "generated/entry.sh",
                                      "keep.log", "link", "src/", "src/main.py"}));
  for (const TarEntry& entry : entries) {
    EXPECT_EQ(entry.uid, 0) << entry.name;
    EXPECT_EQ(entry.gid, 0) << entry.name;
  }
  const TarEntry* app = find(entries, "app.py");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content, "overridden");
  EXPECT_EQ(app->perm, 0644U);
  EXPECT_EQ(app->mtime, kGeneratedFileMtime);
  const TarEntry* main_py = find(entries, "src/main.py");
  ASSERT_NE(main_py, nullptr);
  EXPECT_EQ(main_py->content, "main");
  EXPECT_EQ(main_py->perm, 0640U);
  EXPECT_EQ(main_py->mtime, 1600000000);
  const TarEntry* link = find(entries, "link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, static_cast<unsigned int>(AE_IFLNK));
  EXPECT_EQ(link->symlink, "src/main.py");
  EXPECT_EQ(find(entries, "Dockerfile")->content, "FROM debian:bookworm\n");
}

TEST_F(BuildContextTest, DockerfileInAnIgnoredDirectoryIsStillSent) {
  write("docker/Dockerfile.gpu", "FROM scratch\n");
  write("docker/other", "x");
  write("main.c", "int main;");
  write(".dockerignore", "docker\n");
  core::BuildRequest request;
  request.context_dir = dir_;
  request.dockerfile = "docker/Dockerfile.gpu";
  auto context = write_build_context(request);
  ASSERT_TRUE(context.has_value()) << context.error().message;
  EXPECT_EQ(names(read_tar(context->path())),
            (std::vector<std::string>{".dockerignore", "docker/Dockerfile.gpu", "main.c"}));
}

TEST_F(BuildContextTest, ExcludedDirectoriesAreNotEnteredForWildcardExceptions) {
  // Docker does not descend into "vendor" for "!**/keep" (only a prefix test reopens a
  // directory), so vendor/keep stays out although the pattern alone would re-include it.
  write("Dockerfile", "FROM scratch\n");
  write("keep", "k");
  write("vendor/keep", "v");
  write(".dockerignore", "vendor\n!**/keep\n");
  core::BuildRequest request;
  request.context_dir = dir_;
  auto context = write_build_context(request);
  ASSERT_TRUE(context.has_value()) << context.error().message;
  EXPECT_EQ(names(read_tar(context->path())),
            (std::vector<std::string>{".dockerignore", "Dockerfile", "keep"}));
}

TEST_F(BuildContextTest, ExtraFilesAloneNeedNoDirectory) {
  core::BuildRequest request;
  request.extra_files = {{"Dockerfile", "FROM scratch\nCOPY a /a\n"}, {"a", "payload"}};
  auto context = write_build_context(request);
  ASSERT_TRUE(context.has_value()) << context.error().message;
  const auto entries = read_tar(context->path());
  EXPECT_EQ(names(entries), (std::vector<std::string>{"Dockerfile", "a"}));
  EXPECT_EQ(entries[1].content, "payload");
}

TEST_F(BuildContextTest, MissingContextDirectoryIsInvalidInput) {
  core::BuildRequest request;
  request.context_dir = dir_ / "absent";
  auto context = write_build_context(request);
  ASSERT_FALSE(context.has_value());
  EXPECT_EQ(context.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(context.error().message.find("does not exist"), std::string::npos);
}

TEST_F(BuildContextTest, MissingDockerfileIsInvalidInput) {
  write("app.py", "x");
  core::BuildRequest request;
  request.context_dir = dir_;
  auto context = write_build_context(request);
  ASSERT_FALSE(context.has_value());
  EXPECT_EQ(context.error().code, ErrorCode::kInvalidInput);
}

TEST_F(BuildContextTest, MalformedDockerignoreIsInvalidInput) {
  write("Dockerfile", "FROM scratch\n");
  write(".dockerignore", "[oops\n");
  core::BuildRequest request;
  request.context_dir = dir_;
  auto context = write_build_context(request);
  ASSERT_FALSE(context.has_value());
  EXPECT_EQ(context.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(context.error().message.find("[oops"), std::string::npos);
}

TEST_F(BuildContextTest, ExtraFileEscapingTheContextIsInvalidInput) {
  core::BuildRequest request;
  request.extra_files = {{"Dockerfile", "FROM scratch\n"}, {"../evil", "x"}};
  auto context = write_build_context(request);
  ASSERT_FALSE(context.has_value());
  EXPECT_EQ(context.error().code, ErrorCode::kInvalidInput);
}

TEST(TempFileTest, IsRemovedOnDestructionAndMovable) {
  fs::path path;
  {
    auto file = TempFile::create("deepdock-tempfile-test-");
    ASSERT_TRUE(file.has_value()) << file.error().message;
    path = file->path();
    EXPECT_TRUE(fs::exists(path));
    EXPECT_EQ(file->size(), 0U);
    TempFile moved = std::move(*file);
    EXPECT_EQ(moved.path(), path);
    EXPECT_TRUE(
        file->path().empty());  // NOLINT(bugprone-use-after-move): checks the moved-from state
    EXPECT_TRUE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempFileTest, BodySourceReadsTheWholeFile) {
  auto file = TempFile::create("deepdock-tempfile-test-");
  ASSERT_TRUE(file.has_value());
  const std::string content(100000, 'q');
  std::ofstream(file->path(), std::ios::binary) << content;
  const core::BodySource source = file->body_source();
  std::string read;
  std::string buffer(4096, '\0');
  while (true) {
    auto got = source(buffer.data(), buffer.size());
    ASSERT_TRUE(got.has_value());
    if (*got == 0) {
      break;
    }
    read.append(buffer.data(), *got);
  }
  EXPECT_EQ(read, content);
  EXPECT_EQ(file->size(), content.size());
}

}  // namespace
}  // namespace deepdock::adapters::docker
