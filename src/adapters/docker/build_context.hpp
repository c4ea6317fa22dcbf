#pragma once
// The build context the engine receives with POST /build: the context directory, filtered
// by its .dockerignore, plus in-memory files (a generated Dockerfile), as an uncompressed
// tar in a temporary file that is streamed as the request body.

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/model/image.hpp"
#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::docker {

// A temporary file (mode 0600) removed on destruction (move-only).
class TempFile {
 public:
  // Creates an empty file named <prefix>XXXXXX in $TMPDIR (or /tmp).
  static Result<TempFile> create(std::string_view prefix);
  ~TempFile();
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const;
  [[nodiscard]] uint64_t size() const;  // 0 when it cannot be read
  // Reads the file from its start, piece by piece: the body of a streamed upload. Each call
  // returns an independent reader.
  [[nodiscard]] core::BodySource body_source() const;

 private:
  explicit TempFile(std::filesystem::path path);
  void remove();

  std::filesystem::path path_;
};

// Reads `file` from its start, piece by piece: the body of a streamed upload.
core::BodySource file_body_source(const std::filesystem::path& file);

// The mtime given to request.extra_files entries (2000-01-01T00:00:00Z): fixed, so the same
// inputs give the same bytes.
inline constexpr int64_t kGeneratedFileMtime = 946684800;

// Writes request.context_dir (honouring its .dockerignore; the Dockerfile and .dockerignore
// are always sent) plus request.extra_files (mode 0644; they replace files of the same path)
// as an uncompressed tar (libarchive, pax restricted/ustar) into a TempFile. Paths relative,
// sorted, uid/gid 0, mtime kept, modes kept, symlinks kept as symlinks. A missing
// context_dir, a malformed .dockerignore or a missing Dockerfile → kInvalidInput.
// context_dir may be empty when extra_files hold everything.
Result<TempFile> write_build_context(const core::BuildRequest& request);

}  // namespace deepdock::adapters::docker
