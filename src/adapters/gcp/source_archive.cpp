#include "adapters/gcp/source_archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <vector>

namespace deepdock::adapters::gcp {

Result<docker::TempFile> pack_source_archive(const core::BuildRequest& context) {
  TRY_ASSIGN(const docker::TempFile tar, docker::write_build_context(context));
  TRY_ASSIGN(docker::TempFile packed, docker::TempFile::create("deepdock-source-"));
  // The tar is already what the builder must see: it goes through gzip as one raw stream.
  const std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                       archive_write_free);
  const auto failed = [&](std::string_view what) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot compress the build context into {} ({}): {}",
                            packed.path().string(), what, archive_error_string(writer.get())),
                "check that the temporary directory (TMPDIR) has free space");
  };
  if (archive_write_set_format_raw(writer.get()) != ARCHIVE_OK ||
      archive_write_add_filter_gzip(writer.get()) != ARCHIVE_OK ||
      archive_write_open_filename(writer.get(), packed.path().c_str()) != ARCHIVE_OK) {
    return failed("open");
  }
  const std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                            archive_entry_free);
  archive_entry_set_pathname(entry.get(), "context.tar");
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(tar.size()));
  if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK) {
    return failed("header");
  }
  std::ifstream in(tar.path(), std::ios::binary);
  std::vector<char> buffer(size_t{256} * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto count = static_cast<size_t>(in.gcount());
    if (count > 0 &&
        archive_write_data(writer.get(), buffer.data(), count) != static_cast<la_ssize_t>(count)) {
      return failed("write");
    }
  }
  if (in.bad()) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot read the build context {}", tar.path().string()));
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK) {
    return failed("close");
  }
  return packed;
}

}  // namespace deepdock::adapters::gcp
