#include "adapters/host/state_dir.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before threads
  return value == nullptr ? "" : value;
}

}  // namespace

StateDir::StateDir(fs::path dir) : dir_(std::move(dir)) {}

fs::path StateDir::default_dir() {
  if (auto explicit_dir = env_or_empty("DEEPDOCK_STATE_DIR"); !explicit_dir.empty()) {
    return explicit_dir;
  }
  if (auto xdg = env_or_empty("XDG_STATE_HOME"); !xdg.empty()) {
    return fs::path(xdg) / "deepdock";
  }
  const std::string home = env_or_empty("HOME");
  return fs::path(home.empty() ? "/root" : home) / ".local" / "state" / "deepdock";
}

Result<fs::path> StateDir::path_of(std::string_view key) const {
  const bool valid =
      !key.empty() && key.front() != '.' && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
      });
  if (!valid) {
    return fail(ErrorCode::kInvalidInput, fmt::format("'{}' is not a state record name", key));
  }
  return dir_ / std::string(key);
}

Result<std::optional<std::string>> StateDir::read(std::string_view key) {
  TRY_ASSIGN(const fs::path path, path_of(key));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::optional<std::string>{};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::optional<std::string>{buffer.str()};
}

Status StateDir::write(std::string_view key, std::string_view value) {
  TRY_ASSIGN(const fs::path path, path_of(key));
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    return fail(
        ErrorCode::kFailure,
        fmt::format("cannot create the state directory {}: {}", dir_.string(), ec.message()),
        "set DEEPDOCK_STATE_DIR to a writable directory");
  }
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
  const fs::path temp = path.string() + fmt::format(".{}.tmp", ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot write {}: {}", temp.string(), std::strerror(errno)));
  }
  size_t written = 0;
  while (written < value.size()) {
    const ssize_t n = ::write(fd, value.data() + written, value.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return fail(ErrorCode::kFailure,
                  fmt::format("cannot write {}: {}", temp.string(), std::strerror(saved)));
    }
    written += static_cast<size_t>(n);
  }
  // No fsync: a record lost to a crash costs one re-check, and `up` is not slowed by a
  // flush of the file system for it.
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return fail(ErrorCode::kFailure,
                fmt::format("cannot replace {}: {}", path.string(), std::strerror(saved)));
  }
  return {};
}

Status StateDir::remove(std::string_view key) {
  TRY_ASSIGN(const fs::path path, path_of(key));
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot remove {}: {}", path.string(), ec.message()));
  }
  return {};
}

}  // namespace deepdock::adapters::host
