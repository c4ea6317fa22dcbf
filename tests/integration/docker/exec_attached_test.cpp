// DockerEngine::exec_attached against the real engine (DOCKER_HOST) in a container of the
// base image (DEEPDOCK_TEST_BASE_IMAGE): stdin from a pipe through `cat` and back with its
// end passed on, stdout and stderr apart, the exit code, and a terminal's first size and a
// resize seen by `stty size` inside. Containers carry the run's label and are removed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "cli/output/raw_terminal.hpp"
#include "engine_test_support.hpp"
#include "support/cancel_after.hpp"

namespace deepdock::adapters::docker::integration {
namespace {

// A file the session writes into: it never blocks the session as a full pipe would.
class OutputFile {
 public:
  explicit OutputFile(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      throw std::runtime_error("cannot create " + path.string());
    }
  }
  ~OutputFile() { ::close(fd_); }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] std::string text() const { return read_file(path_); }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Bytes fed into a pipe by a thread of its own (more than a pipe holds), then its end.
class FedPipe {
 public:
  explicit FedPipe(std::string data) {
    int ends[2] = {-1, -1};
    if (::pipe2(ends, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
    read_end_ = ends[0];
    writer_ = std::thread([data = std::move(data), fd = ends[1]] {
      std::string_view left = data;
      while (!left.empty()) {
        const ssize_t written = ::write(fd, left.data(), left.size());
        if (written <= 0) {
          break;
        }
        left.remove_prefix(static_cast<size_t>(written));
      }
      ::close(fd);
    });
  }
  ~FedPipe() {
    ::close(read_end_);  // a writer still blocked gets EPIPE... or finishes
    writer_.join();
  }
  FedPipe(const FedPipe&) = delete;
  FedPipe& operator=(const FedPipe&) = delete;

  [[nodiscard]] int read_end() const { return read_end_; }

 private:
  int read_end_ = -1;
  std::thread writer_;
};

std::string payload(size_t size) {
  std::string text;
  text.reserve(size);
  for (size_t line = 0; text.size() < size; ++line) {
    text += "line " + std::to_string(line) + " of the attached stdin\n";
  }
  return text;
}

class ExecAttachedTest : public BaseImageEngineTest {
 protected:
  void SetUp() override {
    BaseImageEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    cleanup_ = std::make_unique<Cleanup>(*engine_);
    // A session that never ends fails its test (kCancelled) instead of hanging the suite.
    watchdog_ = std::make_unique<deepdock::testing::CancelAfter>(std::chrono::seconds(60));
    dir_ = cleanup_->temp_dir(
        "attach-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    spec_.image = base_image_;
    spec_.cmd = {"sleep", "infinity"};
    spec_.labels = {{"deepdock.managed", "true"}, {"deepdock.test-run", run_id()}};
    spec_.network_mode = "none";  // the test engine has no bridge
    spec_.init = true;            // signals reach sleep, so removal is quick
  }

  void TearDown() override {
    watchdog_.reset();  // before the cleanup, which must not see a cancellation
    cleanup_.reset();
  }

  // A container of the base image, running unless `start` is false.
  std::string container(std::string_view what, bool start = true) {
    spec_.name = "deepdock-it-attach-" + std::string(what) + "-" + run_id();
    const auto id = engine_->create_container(spec_);
    EXPECT_TRUE(id) << id.error().message;
    if (!id) {
      return {};
    }
    cleanup_->container(*id);
    if (start) {
      const auto started = engine_->start_container(*id);
      EXPECT_TRUE(started) << started.error().message;
    }
    return *id;
  }

  std::unique_ptr<Cleanup> cleanup_;
  std::unique_ptr<deepdock::testing::CancelAfter> watchdog_;
  std::filesystem::path dir_;
  core::ContainerSpec spec_;
};

TEST_F(ExecAttachedTest, PipedStdinRoundTripsThroughCatAndItsEndEndsTheSession) {
  const std::string id = container("cat");
  ASSERT_FALSE(id.empty());
  const std::string input = payload(size_t{512} * 1024);  // far more than a pipe or socket holds
  FedPipe in(input);
  OutputFile out(dir_ / "out");
  OutputFile err(dir_ / "err");
  core::AttachedExecSpec spec{.exec = {.cmd = {"sh", "-c", "cat; echo \"cat saw the end\" >&2"}},
                              .stdin_fd = in.read_end(),
                              .stdout_fd = out.fd(),
                              .stderr_fd = err.fd()};
  const auto code = engine_->exec_attached(id, spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 0);
  const std::string echoed = out.text();
  EXPECT_EQ(echoed.size(), input.size());
  EXPECT_TRUE(echoed == input) << "stdout differs from stdin";
  EXPECT_EQ(err.text(), "cat saw the end\n");
}

TEST_F(ExecAttachedTest, StdoutAndStderrStayApartAndTheExitCodeComesThrough) {
  const std::string id = container("exit");
  ASSERT_FALSE(id.empty());
  OutputFile out(dir_ / "out");
  OutputFile err(dir_ / "err");
  core::AttachedExecSpec spec{
      .exec = {.cmd = {"sh", "-c", "echo \"out $GREETING\"; echo err >&2; pwd; id -u; exit 7"},
               .env = {"GREETING=hi"},
               .working_dir = "/tmp",
               .user = "65534"},
      .stdin_fd = -1,
      .stdout_fd = out.fd(),
      .stderr_fd = err.fd()};
  const auto code = engine_->exec_attached(id, spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 7);
  EXPECT_EQ(out.text(), "out hi\n/tmp\n65534\n");
  EXPECT_EQ(err.text(), "err\n");
}

TEST_F(ExecAttachedTest, TerminalGetsItsFirstSize) {
  const std::string id = container("tty-size");
  ASSERT_FALSE(id.empty());
  OutputFile out(dir_ / "out");
  // Engines before API 1.42 set the first size just after the process starts: wait for it.
  core::AttachedExecSpec spec{
      .exec = {.cmd = {"sh", "-c",
                       "for i in $(seq 100); do s=$(stty size); [ \"$s\" != '0 0' ] && break; "
                       "sleep 0.05; done; test -t 0 && test -t 1 && echo \"size:$s\""}},
      .tty = true,
      .size = {.rows = 33, .cols = 101},
      .stdin_fd = -1,
      .stdout_fd = out.fd()};
  const auto code = engine_->exec_attached(id, spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 0) << out.text();
  EXPECT_NE(out.text().find("size:33 101\r\n"), std::string::npos) << out.text();
}

TEST_F(ExecAttachedTest, ResizeDuringTheSessionIsSeenInside) {
  const std::string id = container("tty-resize");
  ASSERT_FALSE(id.empty());
  OutputFile out(dir_ / "out");
  std::atomic<int> asked{0};
  core::AttachedExecSpec spec{
      .exec = {.cmd = {"sh", "-c",
                       "for i in $(seq 200); do s=$(stty size); echo \"now:$s\"; "
                       "[ \"$s\" = '40 120' ] && exit 0; sleep 0.05; done; exit 1"}},
      .tty = true,
      .size = {.rows = 24, .cols = 80},
      .stdin_fd = -1,
      .stdout_fd = out.fd(),
      .resized = [&asked]() -> std::optional<core::TerminalSize> {
        // Some wakes in, the local window "changes" once.
        if (++asked == 6) {
          return core::TerminalSize{.rows = 40, .cols = 120};
        }
        return std::nullopt;
      }};
  const auto code = engine_->exec_attached(id, spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 0) << out.text();
  EXPECT_NE(out.text().find("now:40 120"), std::string::npos) << out.text();
  EXPECT_GE(asked.load(), 6);
}

// `deepdock shell` as a user has it: a raw local terminal as stdin, an interactive bash.
TEST_F(ExecAttachedTest, InteractiveShellOnARawTerminalRunsWhatIsTyped) {
  const std::string id = container("shell");
  ASSERT_FALSE(id.empty());
  int master = -1;
  int slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  {
    auto raw = cli::RawTerminal::enter(slave);
    ASSERT_TRUE(raw) << raw.error().message;
    const std::string typed = "echo $((6*7)); exit 5\r";
    ASSERT_EQ(::write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
    OutputFile out(dir_ / "out");
    core::AttachedExecSpec spec{.exec = {.cmd = {"bash", "--norc", "-i"}, .env = {"PS1=$ "}},
                                .tty = true,
                                .size = {.rows = 24, .cols = 80},
                                .stdin_fd = slave,
                                .stdout_fd = out.fd()};
    const auto code = engine_->exec_attached(id, spec);
    ASSERT_TRUE(code) << code.error().message;
    EXPECT_EQ(*code, 5) << out.text();
    // The terminal echoes the line (bash may wrap it in bracketed-paste codes); 42 follows.
    const std::string text = out.text();
    const size_t echoed = text.find("exit 5");
    ASSERT_NE(echoed, std::string::npos) << text;
    EXPECT_NE(text.find("42\r\n", echoed), std::string::npos) << text;
  }
  ::close(master);
  ::close(slave);
}

TEST_F(ExecAttachedTest, ContainerNotRunningIsAConflict) {
  const std::string id = container("stopped", /*start=*/false);
  ASSERT_FALSE(id.empty());
  const auto code = engine_->exec_attached(id, {.exec = {.cmd = {"true"}}, .stdin_fd = -1});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kConflict) << code.error().message;
  EXPECT_NE(code.error().message.find("is not running"), std::string::npos) << code.error().message;
}

TEST_F(ExecAttachedTest, MissingContainerIsNotFound) {
  const auto code = engine_->exec_attached("deepdock-it-attach-missing-" + run_id(),
                                           {.exec = {.cmd = {"true"}}, .stdin_fd = -1});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kNotFound) << code.error().message;
}

}  // namespace
}  // namespace deepdock::adapters::docker::integration
