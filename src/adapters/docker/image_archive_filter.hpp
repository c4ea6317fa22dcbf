#pragma once
// Copies an image archive (what GET /images/{name}/get streams, `docker save`'s format)
// while leaving out the layer tars another engine already holds. A layer is recognised by
// content, not by name: each regular file is hashed as it is read, and one whose digest is
// a diff ID in `omit` is dropped. That holds for the legacy layout (<v1 id>/layer.tar, with
// names that cannot be predicted) and the OCI one (blobs/sha256/<digest>) alike. Every other
// entry (manifest.json, the config, directories, symlinks between repeated layers) is kept,
// so the receiving engine reads a complete manifest and skips the layers it has.
//
// Files are held in memory up to a limit and spill to a file in `spool_dir` beyond it, so a
// layer of gigabytes costs no more memory than a small one.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "util/error.hpp"

namespace deepdock::adapters::docker {

struct ImageArchiveCopy {
  uint64_t bytes_read = 0;      // the content of the regular files read
  uint64_t bytes_written = 0;   // the size of the copy
  size_t files_left_out = 0;    // files dropped because their digest was in `omit`
  uint64_t bytes_left_out = 0;  // their total size
};

// Reads an uncompressed tar from `input_fd` until its end and writes the filtered copy to
// `output`. `omit` holds diff IDs ("sha256:<hex>").
Result<ImageArchiveCopy> copy_image_archive(int input_fd, const std::set<std::string>& omit,
                                            const std::filesystem::path& output,
                                            const std::filesystem::path& spool_dir);

}  // namespace deepdock::adapters::docker
