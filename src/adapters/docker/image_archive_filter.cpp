#include "adapters/docker/image_archive_filter.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string_view>
#include <system_error>

#include "util/sha256.hpp"

namespace deepdock::adapters::docker {
namespace fs = std::filesystem;

namespace {

constexpr size_t kReadBlock = size_t{1} << 20;
// Files up to this size stay in memory; larger ones spill to the spool file.
constexpr size_t kMemoryLimit = size_t{64} << 20;
constexpr size_t kCopyChunk = size_t{1} << 20;

using ReaderPtr = std::unique_ptr<archive, decltype(&archive_read_free)>;
using WriterPtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using FilePtr = std::unique_ptr<FILE, decltype(&std::fclose)>;

Error archive_failure(archive* handle, std::string_view what) {
  const char* message = archive_error_string(handle);
  return Error{ErrorCode::kFailure,
               fmt::format("{}: {}", what, message != nullptr ? message : "unknown error")};
}

// One regular file's content as it is read: in memory, then in the spool file past the
// limit; hashed all along.
class HeldFile {
 public:
  explicit HeldFile(fs::path spool) : spool_path_(std::move(spool)) {}
  HeldFile(const HeldFile&) = delete;
  HeldFile& operator=(const HeldFile&) = delete;
  ~HeldFile() {
    spool_.reset();
    std::error_code ignored;
    fs::remove(spool_path_, ignored);
  }

  Status append(std::string_view data) {
    hash_.update(data);
    if (!spool_ && memory_.size() + data.size() <= kMemoryLimit) {
      memory_.append(data);
      return {};
    }
    if (!spool_) {
      spool_.reset(std::fopen(spool_path_.c_str(), "w+b"));
      if (!spool_) {
        return fail(ErrorCode::kFailure, fmt::format("cannot create {}", spool_path_.string()),
                    "free some space there, or set TMPDIR");
      }
      TRY(write_spool(memory_));
      memory_.clear();
      memory_.shrink_to_fit();
    }
    return write_spool(data);
  }

  std::string digest() { return "sha256:" + hash_.finish(); }

  // Writes the content to `writer` as the data of its current entry.
  Status copy_to(archive* writer, std::string_view name) {
    if (!spool_) {
      return write_all(writer, memory_, name);
    }
    std::fflush(spool_.get());
    std::rewind(spool_.get());
    std::string chunk(kCopyChunk, '\0');
    size_t got = 0;
    while ((got = std::fread(chunk.data(), 1, chunk.size(), spool_.get())) > 0) {
      TRY(write_all(writer, std::string_view(chunk.data(), got), name));
    }
    if (std::ferror(spool_.get()) != 0) {
      return fail(ErrorCode::kFailure, fmt::format("cannot read {}", spool_path_.string()));
    }
    return {};
  }

 private:
  Status write_spool(std::string_view data) {
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), spool_.get()) != data.size()) {
      return fail(ErrorCode::kFailure, fmt::format("cannot write {}", spool_path_.string()),
                  "free some space there, or set TMPDIR");
    }
    return {};
  }

  static Status write_all(archive* writer, std::string_view data, std::string_view name) {
    while (!data.empty()) {
      const la_ssize_t wrote = archive_write_data(writer, data.data(), data.size());
      if (wrote <= 0) {
        return fail(archive_failure(writer, fmt::format("writing {}", name)));
      }
      data.remove_prefix(static_cast<size_t>(wrote));
    }
    return {};
  }

  fs::path spool_path_;
  FilePtr spool_{nullptr, &std::fclose};
  std::string memory_;
  util::Sha256Stream hash_;
};

}  // namespace

Result<ImageArchiveCopy> copy_image_archive(int input_fd, const std::set<std::string>& omit,
                                            const fs::path& output, const fs::path& spool_dir) {
  const ReaderPtr reader(archive_read_new(), &archive_read_free);
  const WriterPtr writer(archive_write_new(), &archive_write_free);
  if (!reader || !writer) {
    return fail(ErrorCode::kFailure, "copying an image archive: out of memory");
  }
  archive_read_support_format_tar(reader.get());
  archive_write_set_format_pax_restricted(writer.get());
  archive_write_add_filter_none(writer.get());
  if (archive_read_open_fd(reader.get(), input_fd, kReadBlock) != ARCHIVE_OK) {
    return fail(archive_failure(reader.get(), "reading the image archive"));
  }
  if (archive_write_open_filename(writer.get(), output.c_str()) != ARCHIVE_OK) {
    return fail(archive_failure(writer.get(), fmt::format("creating {}", output.string())));
  }

  ImageArchiveCopy copy;
  archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  size_t index = 0;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    const std::string name = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) != AE_IFREG) {
      if (archive_write_header(writer.get(), entry) != ARCHIVE_OK) {
        return fail(archive_failure(writer.get(), fmt::format("writing {}", name)));
      }
      continue;
    }
    HeldFile held(spool_dir / fmt::format("deepdock-layer-{}-{}.tar", ::getpid(), index++));
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    while ((rc = archive_read_data_block(reader.get(), &block, &size, &offset)) == ARCHIVE_OK) {
      copy.bytes_read += size;
      TRY(held.append(std::string_view(static_cast<const char*>(block), size)));
    }
    if (rc != ARCHIVE_EOF) {
      return fail(archive_failure(reader.get(), fmt::format("reading {}", name)));
    }
    if (omit.contains(held.digest())) {
      ++copy.files_left_out;
      copy.bytes_left_out += static_cast<uint64_t>(archive_entry_size(entry));
      continue;
    }
    if (archive_write_header(writer.get(), entry) != ARCHIVE_OK) {
      return fail(archive_failure(writer.get(), fmt::format("writing {}", name)));
    }
    TRY(held.copy_to(writer.get(), name));
  }
  if (rc != ARCHIVE_EOF) {
    return fail(archive_failure(reader.get(), "reading the image archive"));
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    return fail(archive_failure(writer.get(), fmt::format("writing {}", output.string())));
  }
  std::error_code error;
  copy.bytes_written = fs::file_size(output, error);
  return copy;
}

}  // namespace deepdock::adapters::docker
