#include "adapters/host/debootstrap_rootfs.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <utility>

#include "adapters/host/apt_mirror.hpp"
#include "util/cancel.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

constexpr size_t kTailLines = 15;
constexpr auto kLockPoll = std::chrono::milliseconds(250);

// Debian suite and codename syntax ("bookworm", "stable", "bookworm-backports" is not a
// debootstrap suite but harmless): lower-case letters, digits, '.', '-', never a leading
// '-' that debootstrap would read as an option.
bool valid_suite(std::string_view suite) {
  return !suite.empty() && suite.size() <= 64 && suite[0] >= 'a' && suite[0] <= 'z' &&
         std::all_of(suite.begin(), suite.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
         });
}

// Keeps the last lines of a stream.
class Tail {
 public:
  void add(std::string_view line) {
    lines_.emplace_back(line);
    if (lines_.size() > kTailLines) {
      lines_.pop_front();
    }
  }
  [[nodiscard]] std::string text(std::string_view indent) const {
    std::string out;
    for (const std::string& line : lines_) {
      out += fmt::format("\n{}{}", indent, line);
    }
    return out;
  }
  [[nodiscard]] bool empty() const { return lines_.empty(); }

 private:
  std::deque<std::string> lines_;
};

Tail file_tail(const fs::path& path) {
  Tail tail;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    tail.add(line);
  }
  return tail;
}

std::optional<fs::path> default_find_program(std::string_view name) {
  return find_executable(name, {"/usr/sbin", "/sbin"});
}

Result<int> default_run(const std::vector<std::string>& argv, const OutputLineFn& on_line) {
  return run_streaming_process(argv, on_line, {.die_with_parent = true});
}

}  // namespace

DebootstrapRootfs::DebootstrapRootfs(DebootstrapOptions options) : options_(std::move(options)) {
  if (!options_.is_root) {
    options_.is_root = [] { return ::geteuid() == 0; };
  }
  if (!options_.find_program) {
    options_.find_program = default_find_program;
  }
  if (!options_.run) {
    options_.run = default_run;
  }
  if (!options_.unmount) {
    options_.unmount = lazy_unmount;
  }
}

DebootstrapRootfs::~DebootstrapRootfs() {
  // Directories not discarded stay behind; the next build removes them as stale.
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

Status DebootstrapRootfs::check_can_run(std::string_view suite, fs::path& program) const {
  if (!valid_suite(suite)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("\"{}\" is not a Debian suite debootstrap can make", suite),
                "write a release's codename, e.g. `base: debootstrap:bookworm`");
  }
  if (!options_.is_root()) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("debootstrap needs root to make the Debian {} base (it creates "
                            "device nodes and runs chroot); deepdock runs as uid {}",
                            suite, ::geteuid()),
                "run `sudo deepdock up`, or use an image base (`base: auto` or `base: <image>`) "
                "where an image registry is reachable");
  }
  const std::optional<fs::path> found = options_.find_program("debootstrap");
  if (!found) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("debootstrap is not installed: it makes the Debian {} base", suite),
                "install it: `sudo apt-get install debootstrap`");
  }
  program = *found;
  return {};
}

Status DebootstrapRootfs::acquire_lock(const core::RootfsLineFn& progress) {
  if (lock_fd_ >= 0) {
    return {};  // held since an earlier build whose directory is still in use
  }
  std::error_code error;
  fs::create_directories(options_.cache_dir, error);
  if (error) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot create {}: {}", options_.cache_dir.string(), error.message()));
  }
  const fs::path lock_path = options_.cache_dir / kLockName;
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot open {}: {}", lock_path.string(), std::strerror(errno)));
  }
  bool told = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int lock_error = errno;
      ::close(fd);
      return fail(ErrorCode::kFailure,
                  fmt::format("cannot lock {}: {}", lock_path.string(), std::strerror(lock_error)));
    }
    if (!told) {
      progress(
          fmt::format("waiting for another deepdock making a root file system in {} "
                      "(it holds {})",
                      options_.cache_dir.string(), lock_path.string()));
      told = true;
    }
    if (!util::sleep_unless_cancelled(kLockPoll)) {
      ::close(fd);
      return fail(ErrorCode::kCancelled,
                  fmt::format("waiting for the lock on {}: cancelled", lock_path.string()));
    }
  }
  lock_fd_ = fd;
  return {};
}

void DebootstrapRootfs::release_lock_if_idle() {
  if (owned_.empty() && lock_fd_ >= 0) {
    ::close(lock_fd_);  // closing the only descriptor releases the flock
    lock_fd_ = -1;
  }
}

void DebootstrapRootfs::remove_stale_work_dirs(const core::RootfsLineFn& progress) {
  std::error_code error;
  for (fs::directory_iterator it(options_.cache_dir, error), end; !error && it != end;
       it.increment(error)) {
    const fs::path& dir = it->path();
    if (!dir.filename().string().starts_with(kWorkPrefix) || owned_.contains(dir) ||
        !it->is_directory(error) || it->is_symlink(error)) {
      continue;
    }
    // We hold the lock, so no running deepdock is using it: an interrupted run left it.
    progress(fmt::format("removing {}, left by an interrupted run", dir.string()));
    if (auto removed = remove(dir); !removed) {
      log::warn("{} ({})", removed.error().message, removed.error().hint);
    }
  }
}

Result<fs::path> DebootstrapRootfs::make_work_dir() {
  std::string pattern = (options_.cache_dir / kWorkPrefix).string() + "XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot create a work directory in {}: {}", options_.cache_dir.string(),
                            std::strerror(errno)));
  }
  // mkdtemp makes it 0700; it becomes the image's "/", which every user must traverse
  // (e.g. apt's _apt user while debootstrap runs).
  ::chmod(pattern.c_str(), 0755);
  return fs::path(pattern);
}

Status DebootstrapRootfs::remove(const fs::path& dir) {
  return remove_tree(dir, options_.mounts_file, options_.unmount);
}

Result<fs::path> DebootstrapRootfs::build(std::string_view suite,
                                          const core::RootfsLineFn& progress) {
  const core::RootfsLineFn say = progress ? progress : [](std::string_view) {};
  fs::path program;
  TRY(check_can_run(suite, program));
  const char* variable = std::getenv(kMirrorVariable);
  const MirrorChoice mirror =
      choose_debian_mirror(suite, options_.apt_dir,
                           options_.mirror_variable.value_or(variable != nullptr ? variable : ""));

  TRY(acquire_lock(say));
  remove_stale_work_dirs(say);
  auto made = make_work_dir();
  if (!made) {
    release_lock_if_idle();
    return fail(made.error());
  }
  const fs::path dir = *made;
  owned_.insert(dir);

  const std::vector<std::string> argv = {program.string(), "--variant=minbase", std::string(suite),
                                         dir.string(), mirror.uri};
  say(fmt::format("debootstrap --variant=minbase {} into {} from {} (mirror from {})", suite,
                  dir.string(), mirror.uri, mirror.origin));
  Tail output;
  auto ran = options_.run(argv, [&](std::string_view line) {
    output.add(line);
    say(line);
  });

  std::optional<Error> failure;
  if (!ran) {
    failure = ran.error().context(fmt::format("running debootstrap for Debian {}", suite));
  } else if (*ran != 0) {
    const Tail log = file_tail(dir / "debootstrap" / "debootstrap.log");
    failure = Error{
        ErrorCode::kFailure,
        fmt::format(
            "debootstrap of Debian {} from {} failed (exit {}){}{}{}{}", suite, mirror.uri, *ran,
            output.empty() ? "" : "\n  its last output:", output.text("    "),
            log.empty() ? "" : "\n  the end of debootstrap/debootstrap.log:", log.text("    ")),
        fmt::format("check that {} serves {} and is reachable from this machine (the mirror "
                    "came from {}); set {}=<url> to use another mirror",
                    mirror.uri, suite, mirror.origin, kMirrorVariable)};
  } else if (std::error_code error;
             !fs::exists(fs::symlink_status(dir / "etc/os-release", error))) {
    failure = Error{
        ErrorCode::kFailure,
        fmt::format("debootstrap reported success, but {} holds no etc/os-release: "
                    "not a Debian root file system",
                    dir.string()),
        "run it by hand to see what happened: " +
            fmt::format("debootstrap --variant=minbase {} /tmp/rootfs {}", suite, mirror.uri)};
  }
  if (failure) {
    if (auto removed = discard(dir); !removed) {
      log::warn("{}", removed.error().message);
    }
    return fail(*failure);
  }
  return dir;
}

Status DebootstrapRootfs::discard(const fs::path& dir) {
  if (!owned_.contains(dir)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} is not a root file system this builder made", dir.string()));
  }
  auto removed = remove(dir);
  owned_.erase(dir);
  release_lock_if_idle();
  return removed;
}

}  // namespace deepdock::adapters::host
