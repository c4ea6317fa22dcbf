#pragma once
// Removing a root file system tree that debootstrap may have left half-made: an interrupted
// run leaves /proc, /sys or /dev/pts mounted inside it, and a plain recursive delete would
// then walk into the host's own /proc or /dev. So: unmount (lazily) whatever is mounted
// below the tree, deepest first, then delete without ever crossing into another file system.

#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace deepdock::adapters::host {

// The mount points at or below `dir` in a /proc/self/mounts text (octal escapes such as
// "\040" decoded), deepest first.
std::vector<std::filesystem::path> mounts_below(std::string_view mounts_text,
                                                const std::filesystem::path& dir);

// Lazily detaches one mount point (umount2 with MNT_DETACH).
Status lazy_unmount(const std::filesystem::path& mount_point);

using UnmountFn = std::function<Status(const std::filesystem::path&)>;

// Unmounts what `mounts_file` lists below dir (with `unmount`), then deletes dir and
// everything in it that lies on dir's own file system. A missing dir is not an error; a
// mount that could not be undone leaves its parents in place and is reported (kFailure).
Status remove_tree(const std::filesystem::path& dir, const std::filesystem::path& mounts_file,
                   const UnmountFn& unmount);

}  // namespace deepdock::adapters::host
