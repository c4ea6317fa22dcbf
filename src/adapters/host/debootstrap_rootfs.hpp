#pragma once
// DebootstrapRootfs: the RootfsBuilder that runs `debootstrap --variant=minbase SUITE DIR
// MIRROR` for `base: debootstrap:<suite>`. It needs root and the debootstrap package; the
// mirror comes from DEEPDOCK_DEBIAN_MIRROR or the host's apt sources (apt_mirror.hpp).
//
// It works in a cache directory (/var/cache/deepdock/rootfs) under an exclusive flock held
// from build() until the last directory it returned is discarded (or the builder is
// destroyed), so two deepdocks never share or delete each other's work. Holding the lock,
// it first removes work directories an interrupted run left behind (unmounting what is
// still mounted in them). debootstrap runs in its own process group, killed on Ctrl-C and
// by the kernel if deepdock dies.

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/host/rootfs_tree.hpp"
#include "adapters/host/streaming_process.hpp"
#include "core/ports/rootfs_builder.hpp"

namespace deepdock::adapters::host {

// Runs a command, handing over its output lines; returns its exit code.
using StreamingRunner =
    std::function<Result<int>(const std::vector<std::string>& argv, const OutputLineFn& on_line)>;

struct DebootstrapOptions {
  std::filesystem::path cache_dir = "/var/cache/deepdock/rootfs";
  std::filesystem::path apt_dir = "/etc/apt";               // where apt's sources are read
  std::filesystem::path mounts_file = "/proc/self/mounts";  // what is mounted where
  std::optional<std::string> mirror_variable;               // unset: DEEPDOCK_DEBIAN_MIRROR
  // Seams for tests; unset means the real thing.
  std::function<bool()> is_root;  // geteuid() == 0
  std::function<std::optional<std::filesystem::path>(std::string_view name)>
      find_program;     // $PATH, then /usr/sbin and /sbin (a user's PATH often lacks them)
  StreamingRunner run;  // run_streaming_process, the child dying with deepdock
  UnmountFn unmount;    // lazy_unmount
};

class DebootstrapRootfs final : public core::RootfsBuilder {
 public:
  explicit DebootstrapRootfs(DebootstrapOptions options = {});
  ~DebootstrapRootfs() override;
  DebootstrapRootfs(const DebootstrapRootfs&) = delete;
  DebootstrapRootfs& operator=(const DebootstrapRootfs&) = delete;
  DebootstrapRootfs(DebootstrapRootfs&&) = delete;
  DebootstrapRootfs& operator=(DebootstrapRootfs&&) = delete;

  // Returns <cache_dir>/rootfs.XXXXXX holding the root file system.
  Result<std::filesystem::path> build(std::string_view suite,
                                      const core::RootfsLineFn& progress) override;
  // Only directories this builder returned; anything else is kInvalidInput.
  Status discard(const std::filesystem::path& dir) override;

  // The lock file inside the cache directory.
  static constexpr std::string_view kLockName = ".lock";
  // Work directories are named <kWorkPrefix>XXXXXX.
  static constexpr std::string_view kWorkPrefix = "rootfs.";

 private:
  Status check_can_run(std::string_view suite, std::filesystem::path& program) const;
  Status acquire_lock(const core::RootfsLineFn& progress);
  void release_lock_if_idle();
  void remove_stale_work_dirs(const core::RootfsLineFn& progress);
  Result<std::filesystem::path> make_work_dir();
  Status remove(const std::filesystem::path& dir);

  DebootstrapOptions options_;
  int lock_fd_ = -1;
  std::set<std::filesystem::path> owned_;  // directories returned and not yet discarded
};

}  // namespace deepdock::adapters::host
