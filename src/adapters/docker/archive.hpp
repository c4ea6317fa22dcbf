#pragma once
// Tar archives for the engine: copying files into and out of containers, the writer the
// build context uses, and root file systems for image import. All through libarchive;
// entries are written uncompressed in the pax restricted format (plain ustar unless a long
// name, a large size or id, or an extended attribute needs an extension), with modes
// (setuid included), mtimes and symlinks kept. Owners are uid/gid 0, except in a root file
// system, which keeps everything as it is on disk.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

struct archive_entry;  // libarchive
struct stat;

namespace deepdock::adapters::docker {

// Whose files a TarWriter writes.
enum class TarOwners {
  // uid/gid 0 for every entry: what `docker build` contexts and `docker cp` expect.
  kRoot,
  // A root file system: entries from disk keep their numeric uid/gid, files linked more
  // than once become hard-link entries, device nodes and fifos are written, and file
  // capabilities (the security.capability attribute) are kept.
  kKeep,
};

// Writes a tar entry by entry. Entry names are relative ("dir/file"); absolute names and
// ".." components are refused (kInvalidInput).
class TarWriter {
 public:
  static Result<TarWriter> to_memory(TarOwners owners = TarOwners::kRoot);
  static Result<TarWriter> to_file(const std::filesystem::path& path,
                                   TarOwners owners = TarOwners::kRoot);

  TarWriter(TarWriter&& other) noexcept;
  TarWriter& operator=(TarWriter&& other) noexcept;
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  ~TarWriter();

  Status add_file(std::string_view name, std::string_view content, uint32_t mode, int64_t mtime);
  Status add_directory(std::string_view name, uint32_t mode, int64_t mtime);
  Status add_symlink(std::string_view name, std::string_view target, int64_t mtime);
  // A regular file, directory or symlink from disk (not followed), with its mode and mtime.
  // Other kinds (sockets, fifos, devices) are skipped, except that TarOwners::kKeep writes
  // devices and fifos, and owners and hard links as described there.
  Status add_from_disk(std::string_view name, const std::filesystem::path& path);

  // Writes the end-of-archive blocks and closes the output.
  Status finish();
  // The archive written by a to_memory() writer, after finish().
  std::string take_bytes();

 private:
  struct State;
  explicit TarWriter(std::unique_ptr<State> state);
  Status write_header(archive_entry* entry, std::string_view name);
  Status add_regular_from_disk(const std::string& name, const std::filesystem::path& path);
  // For kKeep: the disk's owner and file capabilities on `entry`.
  void keep_from_disk(archive_entry* entry, const std::filesystem::path& path,
                      const struct stat& info) const;
  Status write_data(const char* data, size_t size, std::string_view name);

  std::unique_ptr<State> state_;
};

// One file, directory or symlink found by list_tree.
struct TreeEntry {
  std::string relative;  // '/'-separated, relative to the root
  std::filesystem::path path;
  bool is_directory = false;
};

// What to do with a path met during list_tree.
struct WalkDecision {
  bool include = true;  // list it
  bool descend = true;  // for directories: look inside
};
using WalkFilter = std::function<WalkDecision(std::string_view relative, bool is_directory)>;

// Lists everything below root (not root itself), not following symlinks, in no set order.
// An empty filter keeps everything.
Result<std::vector<TreeEntry>> list_tree(const std::filesystem::path& root,
                                         const WalkFilter& filter);

// Writes everything below rootfs_dir (not rootfs_dir itself), sorted by path and with
// TarOwners::kKeep, as an uncompressed tar at tar_path: what `tar --numeric-owner -C DIR -cf
// FILE .` writes, for POST /images/create?fromSrc=-.
Status write_rootfs_tar(const std::filesystem::path& rootfs_dir,
                        const std::filesystem::path& tar_path);

Result<std::string> tar_single_file(std::string_view name, std::string_view content, uint32_t mode);
// A file or directory; the archive root is its basename.
Result<std::string> tar_path(const std::filesystem::path& host_path);
// Extracts into dest_dir (created if missing). Rejects absolute paths and ".." escapes
// (kFailure naming the entry); keeps modes; refuses symlinks pointing outside dest_dir and
// writing through symlinks. Device nodes are skipped.
Status untar_to(std::string_view tar_bytes, const std::filesystem::path& dest_dir);

}  // namespace deepdock::adapters::docker
