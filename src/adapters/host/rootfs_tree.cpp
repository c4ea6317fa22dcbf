#include "adapters/host/rootfs_tree.hpp"

#include <fmt/format.h>
#include <ftw.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

constexpr int kOpenDirectories = 64;

// /proc/self/mounts writes space, tab, newline and backslash as \ooo.
std::string decode_mount_field(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    const bool escape = field[i] == '\\' && i + 3 < field.size();
    if (escape && std::all_of(field.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                              field.begin() + static_cast<std::ptrdiff_t>(i) + 4,
                              [](char c) { return c >= '0' && c <= '7'; })) {
      out += static_cast<char>(std::stoi(std::string(field.substr(i + 1, 3)), nullptr, 8));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

// The first failure nftw's callback met (nftw's callback takes no user data). One walk at
// a time per thread.
thread_local std::string walk_error;

int remove_entry(const char* path, const struct stat* /*info*/, int type, struct FTW* /*walk*/) {
  int rc = 0;
  if (type == FTW_DP || type == FTW_DNR) {
    rc = ::rmdir(path);
  } else if (type != FTW_NS) {
    rc = ::unlink(path);
  }
  if ((rc != 0 || type == FTW_NS) && walk_error.empty()) {
    const int error = errno;
    walk_error = fmt::format("cannot remove {}: {}{}", path, std::strerror(error),
                             error == ENOTEMPTY || error == EBUSY
                                 ? " (another file system is still mounted below it)"
                                 : "");
  }
  return 0;  // keep going: remove as much as can be removed
}

}  // namespace

std::vector<fs::path> mounts_below(std::string_view mounts_text, const fs::path& dir) {
  std::string base = dir.lexically_normal().string();
  while (base.size() > 1 && base.ends_with('/')) {
    base.pop_back();
  }
  const std::string prefix = base == "/" ? base : base + "/";
  std::vector<fs::path> out;
  for (const std::string& line : util::split(mounts_text, '\n')) {
    std::istringstream fields(line);
    std::string device;
    std::string mount_point;
    if (!(fields >> device >> mount_point)) {
      continue;
    }
    mount_point = decode_mount_field(mount_point);
    if (mount_point == base || mount_point.starts_with(prefix)) {
      out.emplace_back(mount_point);
    }
  }
  // Reverse order puts every mount point before the ones that contain it.
  std::sort(out.begin(), out.end(), std::greater<>());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status lazy_unmount(const fs::path& mount_point) {
  if (::umount2(mount_point.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot unmount {}: {}", mount_point.string(), std::strerror(errno)));
  }
  return {};
}

Status remove_tree(const fs::path& dir, const fs::path& mounts_file, const UnmountFn& unmount) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(dir, error))) {
    return {};
  }
  std::ifstream mounts(mounts_file);
  std::ostringstream text;
  text << mounts.rdbuf();
  for (const fs::path& mount_point : mounts_below(text.str(), dir)) {
    log::debug("unmounting {}, left by an interrupted debootstrap", mount_point.string());
    if (auto done = unmount(mount_point); !done) {
      log::warn("{}", done.error().message);
    }
  }
  walk_error.clear();
  // FTW_PHYS: symlinks are removed, never followed; FTW_MOUNT: what lies on another file
  // system (a mount that would not go) is left alone; FTW_DEPTH: contents before their dir.
  if (::nftw(dir.c_str(), remove_entry, kOpenDirectories, FTW_PHYS | FTW_MOUNT | FTW_DEPTH) != 0 &&
      walk_error.empty()) {
    walk_error = fmt::format("cannot remove {}: {}", dir.string(), std::strerror(errno));
  }
  if (!walk_error.empty()) {
    return fail(ErrorCode::kFailure, std::exchange(walk_error, {}),
                fmt::format("look for mounts below {} (`findmnt -R {}`), unmount them and remove "
                            "it by hand",
                            dir.string(), dir.string()));
  }
  return {};
}

}  // namespace deepdock::adapters::host
