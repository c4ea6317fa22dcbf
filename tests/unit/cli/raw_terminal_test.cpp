// RawTerminal, terminal_size and TerminalResizeWatch on a real pseudo-terminal (openpty):
// raw mode on and back off, restored by a fatal signal too, and SIGWINCH noticed.
#include "cli/output/raw_terminal.hpp"

#include <gtest/gtest.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace deepdock::cli {
namespace {

class Pty {
 public:
  Pty() {
    if (openpty(&master_, &slave_, nullptr, nullptr, nullptr) != 0) {
      throw std::runtime_error("openpty failed");
    }
  }
  ~Pty() {
    ::close(master_);
    ::close(slave_);
  }
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  [[nodiscard]] int slave() const { return slave_; }
  [[nodiscard]] termios mode() const {
    termios mode{};
    tcgetattr(slave_, &mode);
    return mode;
  }
  void set_size(uint16_t rows, uint16_t cols) const {
    winsize size{};
    size.ws_row = rows;
    size.ws_col = cols;
    ASSERT_EQ(ioctl(master_, TIOCSWINSZ, &size), 0);
  }

 private:
  int master_ = -1;
  int slave_ = -1;
};

bool canonical_with_echo(const termios& mode) {
  return (mode.c_lflag & ICANON) != 0 && (mode.c_lflag & ECHO) != 0;
}

TEST(RawTerminalTest, RawWhileAliveRestoredAfter) {
  Pty pty;
  ASSERT_TRUE(canonical_with_echo(pty.mode()));
  {
    auto raw = RawTerminal::enter(pty.slave());
    ASSERT_TRUE(raw) << raw.error().message;
    const termios mode = pty.mode();
    EXPECT_EQ(mode.c_lflag & (ICANON | ECHO | ISIG), 0U);
    EXPECT_EQ(mode.c_oflag & OPOST, 0U);
    // One at a time.
    const auto second = RawTerminal::enter(pty.slave());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  }
  EXPECT_TRUE(canonical_with_echo(pty.mode()));
  EXPECT_TRUE(RawTerminal::enter(pty.slave()));  // free again
}

TEST(RawTerminalTest, NotATerminalIsAPrecondition) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const auto raw = RawTerminal::enter(ends[0]);
  ::close(ends[0]);
  ::close(ends[1]);
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().code, ErrorCode::kPrecondition);
}

// In a child, so the signal's default action (ending the process) can really happen.
void expect_restored_by(int signal_number) {
  Pty pty;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(signal_number, SIG_DFL);
    auto raw = RawTerminal::enter(pty.slave());
    if (!raw) {
      _exit(10);
    }
    raise(signal_number);
    _exit(11);  // not reached: the default action ends the process
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), signal_number);
  EXPECT_TRUE(canonical_with_echo(pty.mode()));
}

TEST(RawTerminalTest, SigtermRestoresTheTerminalThenEndsTheProcess) {
  expect_restored_by(SIGTERM);
}

TEST(RawTerminalTest, SighupRestoresTheTerminalThenEndsTheProcess) {
  expect_restored_by(SIGHUP);
}

// A handler that was there before (the CLI's cancellation) still runs after the restore.
volatile std::sig_atomic_t g_previous_ran = 0;
extern "C" void previous_handler(int /*signal_number*/) {
  g_previous_ran = 1;
}

TEST(RawTerminalTest, PreviousHandlerRunsAfterTheRestoreAndIsPutBack) {
  Pty pty;
  struct sigaction action {};
  struct sigaction before {};
  action.sa_handler = previous_handler;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(sigaction(SIGQUIT, &action, &before), 0);
  g_previous_ran = 0;
  {
    auto raw = RawTerminal::enter(pty.slave());
    ASSERT_TRUE(raw) << raw.error().message;
    raise(SIGQUIT);
    EXPECT_EQ(g_previous_ran, 1);
    EXPECT_TRUE(canonical_with_echo(pty.mode()));
  }
  struct sigaction after {};
  sigaction(SIGQUIT, nullptr, &after);
  EXPECT_EQ(after.sa_handler, &previous_handler);
  sigaction(SIGQUIT, &before, nullptr);
}

TEST(TerminalSizeTest, ReadsRowsAndColumns) {
  Pty pty;
  pty.set_size(24, 80);
  const auto size = terminal_size(pty.slave());
  ASSERT_TRUE(size);
  EXPECT_EQ(size->rows, 24);
  EXPECT_EQ(size->cols, 80);
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  EXPECT_FALSE(terminal_size(ends[0]));
  ::close(ends[0]);
  ::close(ends[1]);
}

TEST(TerminalResizeWatchTest, ReportsANewSizeOncePerChange) {
  Pty pty;
  pty.set_size(24, 80);
  TerminalResizeWatch watch(pty.slave());
  const auto resized = watch.callback();
  EXPECT_FALSE(resized());
  // A SIGWINCH without a change (our pty is not the controlling terminal: raise it).
  raise(SIGWINCH);
  EXPECT_FALSE(resized());
  pty.set_size(50, 132);
  EXPECT_FALSE(resized()) << "no SIGWINCH yet";
  raise(SIGWINCH);
  const auto size = resized();
  ASSERT_TRUE(size);
  EXPECT_EQ(size->rows, 50);
  EXPECT_EQ(size->cols, 132);
  EXPECT_FALSE(resized());
}

TEST(TerminalResizeWatchTest, PutsThePreviousActionBack) {
  struct sigaction before {};
  sigaction(SIGWINCH, nullptr, &before);
  {
    Pty pty;
    TerminalResizeWatch outer(pty.slave());
    TerminalResizeWatch inner(pty.slave());
  }
  struct sigaction after {};
  sigaction(SIGWINCH, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

}  // namespace
}  // namespace deepdock::cli
