#include "adapters/docker/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <utility>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace fs = std::filesystem;

namespace {

constexpr size_t kCopyChunk = size_t{64} * 1024;

using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;
using ReaderPtr = std::unique_ptr<archive, decltype(&archive_read_free)>;
using DiskPtr = std::unique_ptr<archive, decltype(&archive_write_free)>;

struct ScopedFd {
  int fd = -1;
  ~ScopedFd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

// Checks a relative entry name: no leading '/', no ".." component. Returns it without "./".
Result<std::string> checked_name(std::string_view name, ErrorCode code) {
  while (name.substr(0, 2) == "./") {
    name.remove_prefix(2);
  }
  if (!name.empty() && name.front() == '/') {
    return fail(code, fmt::format("archive entry \"{}\" has an absolute path", name));
  }
  for (const std::string& part : util::split(name, '/')) {
    if (part == "..") {
      return fail(code,
                  fmt::format("archive entry \"{}\" points outside its directory (..)", name));
    }
  }
  while (!name.empty() && name.back() == '/') {
    name.remove_suffix(1);
  }
  return std::string(name);
}

// True when `target`, read from the directory holding entry `name`, stays inside the root.
bool link_stays_inside(std::string_view name, std::string_view target) {
  if (target.empty() || target.front() == '/') {
    return false;
  }
  std::vector<std::string> parts = util::split(name, '/');
  parts.pop_back();  // the link itself
  int depth = static_cast<int>(std::count_if(
      parts.begin(), parts.end(), [](const std::string& p) { return !p.empty() && p != "."; }));
  for (const std::string& part : util::split(target, '/')) {
    if (part == "..") {
      if (--depth < 0) {
        return false;
      }
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
  }
  return true;
}

la_ssize_t append_to_string(archive* /*handle*/, void* client, const void* data, size_t size) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

archive* new_tar_writer() {
  archive* handle = archive_write_new();
  if (handle != nullptr) {
    archive_write_set_format_pax_restricted(handle);
    archive_write_add_filter_none(handle);
  }
  return handle;
}

EntryPtr make_entry(const std::string& name, unsigned int type, uint32_t mode, int64_t mtime) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry_copy_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), static_cast<mode_t>(mode & 07777U));
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  return entry;
}

Error cannot_read(const fs::path& path, int error) {
  return Error{error == EACCES ? ErrorCode::kPermissionDenied : ErrorCode::kFailure,
               fmt::format("cannot read {}: {}", path.string(), std::strerror(error)),
               error == EACCES ? "make it readable, or list it in .dockerignore" : ""};
}

// The tar type of a device node or fifo; 0 for kinds a tar cannot hold (sockets).
unsigned int special_file_type(mode_t mode) {
  if (S_ISCHR(mode)) {
    return AE_IFCHR;
  }
  if (S_ISBLK(mode)) {
    return AE_IFBLK;
  }
  if (S_ISFIFO(mode)) {
    return AE_IFIFO;
  }
  return 0;
}

}  // namespace

struct TarWriter::State {
  std::unique_ptr<archive, decltype(&archive_write_free)> handle{new_tar_writer(),
                                                                 &archive_write_free};
  std::string bytes;  // to_memory output
  bool finished = false;
  TarOwners owners = TarOwners::kRoot;
  // kKeep: the first name written for each (device, inode) linked more than once.
  std::map<std::pair<dev_t, ino_t>, std::string> first_names;
};

TarWriter::TarWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
TarWriter::TarWriter(TarWriter&& other) noexcept = default;
TarWriter& TarWriter::operator=(TarWriter&& other) noexcept = default;
TarWriter::~TarWriter() = default;

Result<TarWriter> TarWriter::to_memory(TarOwners owners) {
  auto state = std::make_unique<State>();
  state->owners = owners;
  archive* handle = state->handle.get();
  archive_write_set_bytes_in_last_block(handle, 1);  // no padding to 10 KiB
  if (handle == nullptr ||
      archive_write_open(handle, &state->bytes, nullptr, append_to_string, nullptr) != ARCHIVE_OK) {
    return fail(ErrorCode::kFailure, "cannot start a tar archive in memory");
  }
  return TarWriter(std::move(state));
}

Result<TarWriter> TarWriter::to_file(const fs::path& path, TarOwners owners) {
  auto state = std::make_unique<State>();
  state->owners = owners;
  archive* handle = state->handle.get();
  if (handle == nullptr || archive_write_open_filename(handle, path.c_str()) != ARCHIVE_OK) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot write a tar archive to {}: {}", path.string(),
                            handle != nullptr ? archive_error_string(handle) : "out of memory"));
  }
  return TarWriter(std::move(state));
}

Status TarWriter::write_header(archive_entry* entry, std::string_view name) {
  if (archive_write_header(state_->handle.get(), entry) >= ARCHIVE_WARN) {
    return {};
  }
  const char* text = archive_error_string(state_->handle.get());
  return fail(ErrorCode::kFailure,
              fmt::format("writing a tar archive: {}: {}", name, text != nullptr ? text : "error"));
}

Status TarWriter::write_data(const char* data, size_t size, std::string_view name) {
  if (size == 0 || archive_write_data(state_->handle.get(), data, size) >= 0) {
    return {};
  }
  const char* text = archive_error_string(state_->handle.get());
  return fail(ErrorCode::kFailure,
              fmt::format("writing a tar archive: {}: {}", name, text != nullptr ? text : "error"));
}

Status TarWriter::add_file(std::string_view name, std::string_view content, uint32_t mode,
                           int64_t mtime) {
  TRY_ASSIGN(const std::string clean, checked_name(name, ErrorCode::kInvalidInput));
  const EntryPtr entry = make_entry(clean, AE_IFREG, mode, mtime);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
  TRY(write_header(entry.get(), clean));
  return write_data(content.data(), content.size(), clean);
}

Status TarWriter::add_directory(std::string_view name, uint32_t mode, int64_t mtime) {
  TRY_ASSIGN(const std::string clean, checked_name(name, ErrorCode::kInvalidInput));
  return write_header(make_entry(clean + "/", AE_IFDIR, mode, mtime).get(), clean);
}

Status TarWriter::add_symlink(std::string_view name, std::string_view target, int64_t mtime) {
  TRY_ASSIGN(const std::string clean, checked_name(name, ErrorCode::kInvalidInput));
  const EntryPtr entry = make_entry(clean, AE_IFLNK, 0777, mtime);
  archive_entry_copy_symlink(entry.get(), std::string(target).c_str());
  return write_header(entry.get(), clean);
}

void TarWriter::keep_from_disk(archive_entry* entry, const fs::path& path,
                               const struct stat& info) const {
  if (state_->owners != TarOwners::kKeep) {
    return;
  }
  archive_entry_set_uid(entry, info.st_uid);
  archive_entry_set_gid(entry, info.st_gid);
  if (!S_ISREG(info.st_mode)) {
    return;
  }
  // File capabilities (e.g. ping's cap_net_raw) live in this attribute, not in the mode.
  // Other attributes (SELinux labels, user.*) describe the host, not the image.
  constexpr const char* kCapability = "security.capability";
  std::array<char, 256> value{};
  const ssize_t size = ::lgetxattr(path.c_str(), kCapability, value.data(), value.size());
  if (size > 0) {
    archive_entry_xattr_add_entry(entry, kCapability, value.data(), static_cast<size_t>(size));
  }
}

Status TarWriter::add_from_disk(std::string_view name, const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    return fail(cannot_read(path, errno));
  }
  const bool keep = state_->owners == TarOwners::kKeep;
  if (S_ISDIR(info.st_mode)) {
    TRY_ASSIGN(const std::string clean, checked_name(name, ErrorCode::kInvalidInput));
    const EntryPtr entry =
        make_entry(clean + "/", AE_IFDIR, static_cast<uint32_t>(info.st_mode), info.st_mtim.tv_sec);
    keep_from_disk(entry.get(), path, info);
    return write_header(entry.get(), clean);
  }
  TRY_ASSIGN(const std::string clean, checked_name(name, ErrorCode::kInvalidInput));
  if (keep && info.st_nlink > 1) {
    const auto [first, inserted] =
        state_->first_names.try_emplace({info.st_dev, info.st_ino}, clean);
    if (!inserted) {
      // A hard link to a file already in the archive: a header naming it, no data.
      const EntryPtr entry =
          make_entry(clean, AE_IFREG, static_cast<uint32_t>(info.st_mode), info.st_mtim.tv_sec);
      archive_entry_copy_hardlink(entry.get(), first->second.c_str());
      archive_entry_set_size(entry.get(), 0);
      keep_from_disk(entry.get(), path, info);
      return write_header(entry.get(), clean);
    }
  }
  if (S_ISLNK(info.st_mode)) {
    std::error_code error;
    const fs::path target = fs::read_symlink(path, error);
    if (error) {
      return fail(cannot_read(path, error.value()));
    }
    const EntryPtr entry = make_entry(clean, AE_IFLNK, 0777, info.st_mtim.tv_sec);
    archive_entry_copy_symlink(entry.get(), target.c_str());
    keep_from_disk(entry.get(), path, info);
    return write_header(entry.get(), clean);
  }
  if (const unsigned int type = special_file_type(info.st_mode); keep && type != 0) {
    const EntryPtr entry =
        make_entry(clean, type, static_cast<uint32_t>(info.st_mode), info.st_mtim.tv_sec);
    archive_entry_set_rdev(entry.get(), info.st_rdev);
    keep_from_disk(entry.get(), path, info);
    return write_header(entry.get(), clean);
  }
  if (!S_ISREG(info.st_mode)) {
    log::debug("not archiving {}: not a regular file, directory or symlink", path.string());
    return {};
  }
  return add_regular_from_disk(clean, path);
}

Status TarWriter::add_regular_from_disk(const std::string& name, const fs::path& path) {
  struct stat info {};
  const ScopedFd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0 || ::fstat(file.fd, &info) != 0) {
    return fail(cannot_read(path, errno));
  }
  const EntryPtr entry =
      make_entry(name, AE_IFREG, static_cast<uint32_t>(info.st_mode), info.st_mtim.tv_sec);
  archive_entry_set_size(entry.get(), info.st_size);
  keep_from_disk(entry.get(), path, info);
  TRY(write_header(entry.get(), name));
  std::array<char, kCopyChunk> buffer{};
  for (int64_t left = info.st_size; left > 0;) {
    const ssize_t got =
        ::read(file.fd, buffer.data(), static_cast<size_t>(std::min<int64_t>(left, kCopyChunk)));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return fail(ErrorCode::kFailure,
                  fmt::format("{} changed while it was being archived", path.string()));
    }
    TRY(write_data(buffer.data(), static_cast<size_t>(got), name));
    left -= got;
  }
  return {};
}

Status TarWriter::finish() {
  if (state_->finished) {
    return {};
  }
  state_->finished = true;
  if (archive_write_close(state_->handle.get()) != ARCHIVE_OK) {
    return fail(ErrorCode::kFailure, fmt::format("closing a tar archive: {}",
                                                 archive_error_string(state_->handle.get())));
  }
  return {};
}

std::string TarWriter::take_bytes() {
  return std::exchange(state_->bytes, {});
}

Result<std::vector<TreeEntry>> list_tree(const fs::path& root, const WalkFilter& filter) {
  std::vector<TreeEntry> entries;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error);
  for (const fs::recursive_directory_iterator end; !error && it != end; it.increment(error)) {
    const fs::file_status status = it->symlink_status(error);
    if (error) {
      break;
    }
    TreeEntry entry;
    entry.path = it->path();
    entry.relative = entry.path.lexically_relative(root).generic_string();
    entry.is_directory = fs::is_directory(status);
    const WalkDecision decision =
        filter ? filter(entry.relative, entry.is_directory) : WalkDecision{};
    if (entry.is_directory && !decision.descend) {
      it.disable_recursion_pending();
    }
    if (decision.include) {
      entries.push_back(std::move(entry));
    }
  }
  if (error) {
    return fail(
        error == std::errc::permission_denied ? ErrorCode::kPermissionDenied : ErrorCode::kFailure,
        fmt::format("cannot list {}: {}", root.string(), error.message()));
  }
  return entries;
}

Status write_rootfs_tar(const fs::path& rootfs_dir, const fs::path& tar_path) {
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(rootfs_dir, error))) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{} is not a directory to archive", rootfs_dir.string()));
  }
  TRY_ASSIGN(std::vector<TreeEntry> entries, list_tree(rootfs_dir, {}));
  // Sorted: a directory comes before what it holds, and the first name of a hard-linked
  // file (the one that carries its data) is the same on every run.
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.relative < b.relative; });
  TRY_ASSIGN(TarWriter writer, TarWriter::to_file(tar_path, TarOwners::kKeep));
  for (const TreeEntry& entry : entries) {
    TRY(writer.add_from_disk(entry.relative, entry.path));
  }
  return writer.finish();
}

Result<std::string> tar_single_file(std::string_view name, std::string_view content,
                                    uint32_t mode) {
  TRY_ASSIGN(TarWriter writer, TarWriter::to_memory());
  TRY(writer.add_file(name, content, mode, static_cast<int64_t>(std::time(nullptr))));
  TRY(writer.finish());
  return writer.take_bytes();
}

Result<std::string> tar_path(const fs::path& host_path) {
  std::error_code error;
  const fs::file_status status = fs::symlink_status(host_path, error);
  if (error || !fs::exists(status)) {
    return fail(ErrorCode::kNotFound, fmt::format("{} does not exist", host_path.string()));
  }
  fs::path normal = host_path.lexically_normal();
  if (!normal.has_filename()) {
    normal = normal.parent_path();  // "dir/" → "dir"
  }
  std::string root_name = normal.filename().string();
  if (root_name.empty() || root_name == "." || root_name == "..") {
    root_name = fs::absolute(normal, error).lexically_normal().filename().string();
  }
  TRY_ASSIGN(TarWriter writer, TarWriter::to_memory());
  TRY(writer.add_from_disk(root_name, host_path));
  if (fs::is_directory(status)) {
    TRY_ASSIGN(std::vector<TreeEntry> entries, list_tree(host_path, {}));
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry& a, const TreeEntry& b) { return a.relative < b.relative; });
    for (const TreeEntry& entry : entries) {
      TRY(writer.add_from_disk(root_name + "/" + entry.relative, entry.path));
    }
  }
  TRY(writer.finish());
  return writer.take_bytes();
}

Status untar_to(std::string_view tar_bytes, const fs::path& dest_dir) {
  std::error_code error;
  fs::create_directories(dest_dir, error);
  const fs::path root = fs::canonical(dest_dir, error);
  if (error) {
    return fail(ErrorCode::kFailure, fmt::format("cannot use {} as a destination: {}",
                                                 dest_dir.string(), error.message()));
  }
  const ReaderPtr reader(archive_read_new(), &archive_read_free);
  const DiskPtr disk(archive_write_disk_new(), &archive_write_free);
  archive_read_support_format_tar(reader.get());
  archive_read_support_filter_all(reader.get());
  // Never write through a symlink, never follow "..": checked again by libarchive.
  archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                                                 ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                 ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  if (archive_read_open_memory(reader.get(), tar_bytes.data(), tar_bytes.size()) != ARCHIVE_OK) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot read the archive: {}", archive_error_string(reader.get())));
  }
  auto archive_failure = [](archive* handle, std::string_view what) {
    const char* text = archive_error_string(handle);
    return fail(ErrorCode::kFailure,
                fmt::format("extracting {}: {}", what, text != nullptr ? text : "error"));
  };
  archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK ||
         rc == ARCHIVE_WARN) {
    const char* raw = archive_entry_pathname(entry);
    const std::string original = raw != nullptr ? raw : "";
    TRY_ASSIGN(const std::string name, checked_name(original, ErrorCode::kFailure));
    if (name.empty() || name == ".") {
      continue;
    }
    const auto type = archive_entry_filetype(entry);
    if (const char* link = archive_entry_hardlink(entry); link != nullptr) {
      TRY_ASSIGN(const std::string target, checked_name(link, ErrorCode::kFailure));
      archive_entry_copy_hardlink(entry, (root / target).c_str());
    } else if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      if (target == nullptr || !link_stays_inside(name, target)) {
        return fail(ErrorCode::kFailure,
                    fmt::format("archive entry \"{}\" is a symlink pointing outside the "
                                "destination ({})",
                                original, target != nullptr ? target : ""));
      }
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      log::debug("not extracting {}: a device, fifo or socket", original);
      continue;
    }
    archive_entry_copy_pathname(entry, (root / name).c_str());
    if (archive_write_header(disk.get(), entry) < ARCHIVE_WARN) {
      return archive_failure(disk.get(), original);
    }
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int data_rc = ARCHIVE_OK;
    while ((data_rc = archive_read_data_block(reader.get(), &block, &size, &offset)) ==
           ARCHIVE_OK) {
      if (archive_write_data_block(disk.get(), block, size, offset) < ARCHIVE_WARN) {
        return archive_failure(disk.get(), original);
      }
    }
    if (data_rc != ARCHIVE_EOF) {
      return archive_failure(reader.get(), original);
    }
    if (archive_write_finish_entry(disk.get()) < ARCHIVE_WARN) {
      return archive_failure(disk.get(), original);
    }
  }
  if (rc != ARCHIVE_EOF) {
    return archive_failure(reader.get(), "the archive");
  }
  if (archive_write_close(disk.get()) != ARCHIVE_OK) {
    return archive_failure(disk.get(), "the archive");
  }
  return {};
}

}  // namespace deepdock::adapters::docker
