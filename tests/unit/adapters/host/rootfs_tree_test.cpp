#include "adapters/host/rootfs_tree.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

TEST(RootfsTreeTest, MountsBelowFindsNestedMountsDeepestFirst) {
  constexpr std::string_view mounts = R"(proc /proc proc rw,nosuid 0 0
proc /var/cache/dd/rootfs.abc/proc proc rw 0 0
devpts /var/cache/dd/rootfs.abc/dev/pts devpts rw 0 0
sysfs /var/cache/dd/rootfs.abc/sys sysfs rw 0 0
tmpfs /var/cache/dd/rootfs.abc2/run tmpfs rw 0 0
tmpfs /var/cache/dd/rootfs.abc/with\040space tmpfs rw 0 0
tmpfs /var/cache/dd/rootfs.abc tmpfs rw 0 0
)";
  const std::vector<fs::path> found = mounts_below(mounts, "/var/cache/dd/rootfs.abc/");
  EXPECT_EQ(found, (std::vector<fs::path>{
                       "/var/cache/dd/rootfs.abc/with space", "/var/cache/dd/rootfs.abc/sys",
                       "/var/cache/dd/rootfs.abc/proc", "/var/cache/dd/rootfs.abc/dev/pts",
                       "/var/cache/dd/rootfs.abc"}));
  EXPECT_TRUE(mounts_below(mounts, "/var/cache/dd/rootfs.zzz").empty());
}

class RemoveTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("deepdock-tree-" + std::to_string(std::random_device()()));
    fs::create_directories(base_);
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path base_;
};

TEST_F(RemoveTreeTest, UnmountsWhatIsListedThenRemovesWithoutFollowingSymlinks) {
  const fs::path tree = base_ / "rootfs.old";
  const fs::path outside = base_ / "outside";
  fs::create_directories(tree / "proc/1");
  fs::create_directories(tree / "dev/pts");
  fs::create_directories(outside);
  std::ofstream(outside / "precious") << "keep";
  std::ofstream(tree / "proc/1/status") << "x";
  fs::create_directory_symlink(outside, tree / "link-out");
  // A read-only directory, as a root file system has.
  fs::permissions(tree / "proc", fs::perms::owner_read | fs::perms::owner_exec);
  const fs::path mounts = base_ / "mounts";
  std::ofstream(mounts) << "proc " << (tree / "proc").string() << " proc rw 0 0\n"
                        << "devpts " << (tree / "dev/pts").string() << " devpts rw 0 0\n"
                        << "proc /proc proc rw 0 0\n";

  std::vector<fs::path> unmounted;
  auto removed = remove_tree(tree, mounts, [&](const fs::path& point) -> Status {
    unmounted.push_back(point);
    return {};
  });
  ASSERT_TRUE(removed.has_value()) << removed.error().message;
  EXPECT_EQ(unmounted, (std::vector<fs::path>{tree / "proc", tree / "dev/pts"}));
  EXPECT_FALSE(fs::exists(tree));
  EXPECT_TRUE(fs::exists(outside / "precious"));
}

TEST_F(RemoveTreeTest, MissingDirectoryIsNotAnError) {
  auto removed = remove_tree(base_ / "nothing", base_ / "no-mounts", [](const fs::path&) -> Status {
    ADD_FAILURE() << "nothing to unmount";
    return {};
  });
  EXPECT_TRUE(removed.has_value());
}

}  // namespace
}  // namespace deepdock::adapters::host
