#pragma once
// Tar archives for the engine: copying files into and out of containers, and the writer the
// build context uses. All through libarchive; entries are written uncompressed in the pax
// restricted format (plain ustar unless a long name or large size needs an extension),
// owned by uid/gid 0, with modes, mtimes and symlinks kept.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

struct archive_entry;  // libarchive

namespace deepdock::adapters::docker {

// Writes a tar entry by entry. Entry names are relative ("dir/file"); absolute names and
// ".." components are refused (kInvalidInput).
class TarWriter {
 public:
  static Result<TarWriter> to_memory();
  static Result<TarWriter> to_file(const std::filesystem::path& path);

  TarWriter(TarWriter&& other) noexcept;
  TarWriter& operator=(TarWriter&& other) noexcept;
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  ~TarWriter();

  Status add_file(std::string_view name, std::string_view content, uint32_t mode, int64_t mtime);
  Status add_directory(std::string_view name, uint32_t mode, int64_t mtime);
  Status add_symlink(std::string_view name, std::string_view target, int64_t mtime);
  // A regular file, directory or symlink from disk (not followed), with its mode and mtime.
  // Other kinds (sockets, fifos, devices) are skipped.
  Status add_from_disk(std::string_view name, const std::filesystem::path& path);

  // Writes the end-of-archive blocks and closes the output.
  Status finish();
  // The archive written by a to_memory() writer, after finish().
  std::string take_bytes();

 private:
  struct State;
  explicit TarWriter(std::unique_ptr<State> state);
  Status write_header(archive_entry* entry, std::string_view name);
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

Result<std::string> tar_single_file(std::string_view name, std::string_view content, uint32_t mode);
// A file or directory; the archive root is its basename.
Result<std::string> tar_path(const std::filesystem::path& host_path);
// Extracts into dest_dir (created if missing). Rejects absolute paths and ".." escapes
// (kFailure naming the entry); keeps modes; refuses symlinks pointing outside dest_dir and
// writing through symlinks. Device nodes are skipped.
Status untar_to(std::string_view tar_bytes, const std::filesystem::path& dest_dir);

}  // namespace deepdock::adapters::docker
