#include "adapters/host/debootstrap_rootfs.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "util/cancel.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMirror = "http://mirror.test/debian";

// A debootstrap stand-in: records its command line, prints, and leaves what the real one
// leaves in the target directory (argv[3]).
struct FakeDebootstrap {
  std::vector<std::vector<std::string>> calls;
  int exit_code = 0;
  bool write_os_release = true;
  std::string log_text;  // written to <dir>/debootstrap/debootstrap.log when set
  std::optional<Error> error;

  Result<int> operator()(const std::vector<std::string>& argv, const OutputLineFn& on_line) {
    calls.push_back(argv);
    if (error) {
      return tl::unexpected(*error);
    }
    const fs::path dir = argv.at(3);
    on_line("I: Retrieving InRelease");
    if (!log_text.empty()) {
      fs::create_directories(dir / "debootstrap");
      std::ofstream(dir / "debootstrap/debootstrap.log") << log_text;
    }
    if (write_os_release) {
      fs::create_directories(dir / "usr/lib");
      fs::create_directories(dir / "etc");
      std::ofstream(dir / "usr/lib/os-release") << "ID=debian\n";
      fs::create_symlink("../usr/lib/os-release", dir / "etc/os-release");
    }
    on_line(exit_code == 0 ? "I: Base system installed successfully."
                           : "E: Couldn't download packages: libc6");
    return exit_code;
  }
};

// True when someone else holds the cache's lock.
bool lock_is_held(const fs::path& cache) {
  const int fd = ::open((cache / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

class DebootstrapRootfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("deepdock-dbs-" + std::to_string(std::random_device()()));
    cache_ = base_ / "cache";
    fs::create_directories(base_ / "apt");
    std::ofstream(base_ / "mounts") << "proc /proc proc rw 0 0\n";
  }
  void TearDown() override {
    util::reset_cancel();
    fs::remove_all(base_);
  }

  DebootstrapOptions options() {
    return DebootstrapOptions{
        .cache_dir = cache_,
        .apt_dir = base_ / "apt",
        .mounts_file = base_ / "mounts",
        .mirror_variable = std::string(kMirror),
        .is_root = [this] { return root_; },
        .find_program = [this](std::string_view name) -> std::optional<fs::path> {
          if (!installed_) {
            return std::nullopt;
          }
          return fs::path("/fake/sbin") / name;
        },
        .run = [this](const std::vector<std::string>& argv,
                      const OutputLineFn& on_line) { return debootstrap_(argv, on_line); },
        .unmount = [this](const fs::path& point) -> Status {
          unmounted_.push_back(point);
          return {};
        }};
  }

  Result<fs::path> build(DebootstrapRootfs& builder, std::string_view suite = "bookworm") {
    return builder.build(suite, [this](std::string_view line) { lines_.emplace_back(line); });
  }

  fs::path base_;
  fs::path cache_;
  bool root_ = true;
  bool installed_ = true;
  FakeDebootstrap debootstrap_;
  std::vector<fs::path> unmounted_;
  std::vector<std::string> lines_;
};

TEST_F(DebootstrapRootfsTest, RunsMinbaseDebootstrapIntoAFreshWorkDirectory) {
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;
  EXPECT_EQ(dir->parent_path(), cache_);
  EXPECT_TRUE(dir->filename().string().starts_with("rootfs."));
  ASSERT_EQ(debootstrap_.calls.size(), 1U);
  EXPECT_EQ(debootstrap_.calls[0],
            (std::vector<std::string>{"/fake/sbin/debootstrap", "--variant=minbase", "bookworm",
                                      dir->string(), kMirror}));
  struct stat info {};
  ASSERT_EQ(::stat(dir->c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777U, 0755U);
  // Its output reaches the caller, after a line saying what runs.
  ASSERT_EQ(lines_.size(), 3U);
  EXPECT_NE(lines_[0].find("from " + std::string(kMirror)), std::string::npos) << lines_[0];
  EXPECT_EQ(lines_[1], "I: Retrieving InRelease");

  ASSERT_TRUE(builder.discard(*dir).has_value());
  EXPECT_FALSE(fs::exists(*dir));
}

TEST_F(DebootstrapRootfsTest, RealRunnerRunsTheProgramFoundAndStreamsItsOutput) {
  // A stand-in script on disk instead of debootstrap: the real process runner in between.
  const fs::path script = base_ / "debootstrap";
  std::ofstream(script) << "#!/bin/sh\n"
                           "echo \"I: args $*\"\n"
                           "mkdir -p \"$3/etc\" && echo ID=debian > \"$3/etc/os-release\"\n"
                           "echo 'I: Base system installed successfully.' >&2\n";
  fs::permissions(script, fs::perms::owner_all);
  DebootstrapOptions opts = options();
  opts.run = nullptr;
  opts.find_program = [&](std::string_view) -> std::optional<fs::path> { return script; };
  DebootstrapRootfs builder(std::move(opts));
  auto dir = build(builder);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;
  ASSERT_EQ(lines_.size(), 3U);
  EXPECT_EQ(lines_[1], "I: args --variant=minbase bookworm " + dir->string() + " " + kMirror);
  EXPECT_EQ(lines_[2], "I: Base system installed successfully.");
  EXPECT_TRUE(fs::exists(*dir / "etc/os-release"));
  EXPECT_TRUE(builder.discard(*dir).has_value());
}

TEST_F(DebootstrapRootfsTest, MirrorComesFromAptSourcesWithoutTheVariable) {
  fs::create_directories(base_ / "apt/sources.list.d");
  std::ofstream(base_ / "apt/sources.list.d/debian.sources")
      << "Types: deb\nURIs: http://apt.example/debian\nSuites: bookworm bookworm-updates\n";
  DebootstrapOptions opts = options();
  opts.mirror_variable = "";
  DebootstrapRootfs builder(std::move(opts));
  auto dir = build(builder);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;
  EXPECT_EQ(debootstrap_.calls.at(0).back(), "http://apt.example/debian");
  EXPECT_NE(lines_[0].find("debian.sources"), std::string::npos) << lines_[0];
}

TEST_F(DebootstrapRootfsTest, NotRootIsAPreconditionWithTheWayOut) {
  root_ = false;
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(dir.error().message.find("debootstrap needs root"), std::string::npos);
  EXPECT_NE(dir.error().hint.find("sudo deepdock up"), std::string::npos);
  EXPECT_NE(dir.error().hint.find("image base"), std::string::npos);
  EXPECT_TRUE(debootstrap_.calls.empty());
  EXPECT_FALSE(fs::exists(cache_));
}

TEST_F(DebootstrapRootfsTest, NotInstalledIsAPreconditionNamingThePackage) {
  installed_ = false;
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(dir.error().hint.find("apt-get install debootstrap"), std::string::npos);
  EXPECT_TRUE(debootstrap_.calls.empty());
}

TEST_F(DebootstrapRootfsTest, SuiteThatLooksLikeAnOptionIsRefused) {
  DebootstrapRootfs builder(options());
  for (const std::string_view suite : {"--foreign", "", "Bookworm", "book worm", "../x"}) {
    auto dir = build(builder, suite);
    ASSERT_FALSE(dir.has_value()) << suite;
    EXPECT_EQ(dir.error().code, ErrorCode::kInvalidInput) << suite;
  }
  EXPECT_TRUE(debootstrap_.calls.empty());
}

TEST_F(DebootstrapRootfsTest, StaleWorkDirectoriesAreUnmountedAndRemovedOthersKept) {
  const fs::path stale = cache_ / "rootfs.OLD123";
  fs::create_directories(stale / "proc/self");
  fs::create_directories(stale / "dev/pts");
  std::ofstream(stale / "proc/self/status") << "x";
  fs::create_directories(cache_ / "unrelated");
  std::ofstream(cache_ / "rootfs.tar") << "not a directory";
  std::ofstream(base_ / "mounts") << "proc /proc proc rw 0 0\n"
                                  << "proc " << (stale / "proc").string() << " proc rw 0 0\n"
                                  << "devpts " << (stale / "dev/pts").string()
                                  << " devpts rw 0 0\n";
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(unmounted_, (std::vector<fs::path>{stale / "proc", stale / "dev/pts"}));
  EXPECT_TRUE(fs::exists(cache_ / "unrelated"));
  EXPECT_TRUE(fs::exists(cache_ / "rootfs.tar"));
  EXPECT_TRUE(fs::exists(*dir));
  EXPECT_NE(lines_[0].find("left by an interrupted run"), std::string::npos) << lines_[0];
}

TEST_F(DebootstrapRootfsTest, LockIsHeldFromBuildUntilDiscard) {
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;
  EXPECT_TRUE(lock_is_held(cache_));
  ASSERT_TRUE(builder.discard(*dir).has_value());
  EXPECT_FALSE(lock_is_held(cache_));
}

TEST_F(DebootstrapRootfsTest, SecondBuilderWaitsForTheLockAndCanBeCancelled) {
  DebootstrapRootfs first(options());
  auto dir = build(first);
  ASSERT_TRUE(dir.has_value()) << dir.error().message;

  DebootstrapRootfs second(options());
  std::vector<std::string> said;
  auto waited = second.build("bookworm", [&](std::string_view line) {
    said.emplace_back(line);
    util::request_cancel();  // the user gives up waiting
  });
  ASSERT_FALSE(waited.has_value());
  EXPECT_EQ(waited.error().code, ErrorCode::kCancelled);
  ASSERT_EQ(said.size(), 1U);
  EXPECT_NE(said[0].find("waiting for another deepdock"), std::string::npos) << said[0];
  EXPECT_EQ(debootstrap_.calls.size(), 1U);
  EXPECT_TRUE(fs::exists(*dir)) << "the waiting builder must not touch the first one's work";
}

TEST_F(DebootstrapRootfsTest, DestroyingTheBuilderReleasesTheLock) {
  {
    DebootstrapRootfs builder(options());
    ASSERT_TRUE(build(builder).has_value());
    EXPECT_TRUE(lock_is_held(cache_));
  }
  EXPECT_FALSE(lock_is_held(cache_));
}

TEST_F(DebootstrapRootfsTest, FailureReportsBothLogTailsAndRemovesTheDirectory) {
  debootstrap_.exit_code = 1;
  debootstrap_.write_os_release = false;
  debootstrap_.log_text = "early line\nW: Failure trying to run: chroot /x dpkg --force-depends\n";
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_FALSE(dir.has_value());
  const Error& error = dir.error();
  EXPECT_EQ(error.code, ErrorCode::kFailure);
  EXPECT_NE(error.message.find("debootstrap of Debian bookworm from " + std::string(kMirror) +
                               " failed (exit 1)"),
            std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("E: Couldn't download packages: libc6"), std::string::npos);
  EXPECT_NE(error.message.find("W: Failure trying to run: chroot"), std::string::npos);
  EXPECT_NE(error.hint.find("DEEPDOCK_DEBIAN_MIRROR"), std::string::npos);
  const fs::path work = debootstrap_.calls.at(0).at(3);
  EXPECT_FALSE(fs::exists(work));
  EXPECT_FALSE(lock_is_held(cache_));
}

TEST_F(DebootstrapRootfsTest, SuccessWithoutARootFileSystemIsAFailure) {
  debootstrap_.write_os_release = false;
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_FALSE(dir.has_value());
  EXPECT_NE(dir.error().message.find("no etc/os-release"), std::string::npos);
  EXPECT_FALSE(fs::exists(debootstrap_.calls.at(0).at(3)));
}

TEST_F(DebootstrapRootfsTest, CancelledRunRemovesTheDirectory) {
  debootstrap_.error = Error{ErrorCode::kCancelled, "debootstrap was stopped: cancelled", ""};
  DebootstrapRootfs builder(options());
  auto dir = build(builder);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().code, ErrorCode::kCancelled);
  EXPECT_FALSE(fs::exists(debootstrap_.calls.at(0).at(3)));
  EXPECT_FALSE(lock_is_held(cache_));
}

TEST_F(DebootstrapRootfsTest, DiscardRefusesDirectoriesItDidNotMake) {
  const fs::path foreign = base_ / "apt";
  DebootstrapRootfs builder(options());
  auto discarded = builder.discard(foreign);
  ASSERT_FALSE(discarded.has_value());
  EXPECT_EQ(discarded.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(fs::exists(foreign));
}

}  // namespace
}  // namespace deepdock::adapters::host
