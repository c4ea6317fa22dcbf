// DockerEngine::exec_attached over a FakeTransport whose upgraded connections are real
// socketpairs: what the exec is created and started with, stdin forwarded and half-closed,
// output split or raw, resizes, refusals and cancellation.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "docker_engine_test_support.hpp"
#include "support/cancel_after.hpp"
#include "util/cancel.hpp"

namespace deepdock::adapters::docker::test {
namespace {

using nlohmann::json;
using testing::FakeUpgrade;

// A regression that leaves a session waiting fails the test (kCancelled) instead of hanging.
constexpr std::chrono::seconds kWatchdog{10};

// A pipe whose ends close with it.
class Pipe {
 public:
  Pipe() {
    int ends[2] = {-1, -1};
    if (::pipe2(ends, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
    read_end_ = ends[0];
    write_end_ = ends[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  [[nodiscard]] int read_end() const { return read_end_; }
  [[nodiscard]] int write_end() const { return write_end_; }
  void write(std::string_view data) const {
    ASSERT_EQ(::write(write_end_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  void close_write() {
    if (write_end_ >= 0) {
      ::close(write_end_);
      write_end_ = -1;
    }
  }
  void close_read() {
    if (read_end_ >= 0) {
      ::close(read_end_);
      read_end_ = -1;
    }
  }
  // Everything written, once the write end is closed.
  std::string drain() {
    close_write();
    std::string text;
    char buffer[4096];
    ssize_t count = 0;
    while ((count = ::read(read_end_, buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<size_t>(count));
    }
    return text;
  }

 private:
  int read_end_ = -1;
  int write_end_ = -1;
};

void exec_created(EngineFixture& engine) {
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/exec",
                       reply(201, R"({"Id":"ex1"})"));
  engine.transport->on(HttpMethod::kPost, "/v1.43/containers/abc/exec",
                       reply(201, R"({"Id":"ex1"})"));
}

void exec_exits(EngineFixture& engine, int code, const std::string& api = "1.41") {
  engine.transport->once(HttpMethod::kGet, "/v" + api + "/exec/ex1/json",
                         reply(200, R"({"Running":true,"ExitCode":null})"));
  engine.transport->on(HttpMethod::kGet, "/v" + api + "/exec/ex1/json",
                       reply(200, json{{"Running", false}, {"ExitCode", code}}.dump()));
}

std::vector<std::string> resizes(const FakeTransport& transport) {
  std::vector<std::string> targets;
  for (const auto& request : transport.requests()) {
    if (request.target.find("/resize") != std::string::npos) {
      targets.push_back(request.target);
    }
  }
  return targets;
}

TEST(DockerEngineAttachTest, PipedStdinReachesTheServerWhichSeesItsEndAndOutputIsSplit) {
  const testing::CancelAfter watchdog(kWatchdog);
  EngineFixture engine;
  exec_created(engine);
  exec_exits(engine, 3);
  std::string server_got;
  engine.transport->on_upgrade(
      "/v1.41/exec/ex1/start",
      FakeUpgrade{.status = 101, .headers = {{"Upgrade", "tcp"}}, .serve = [&server_got](int peer) {
                    // Answers only after stdin ended: no half close, no answer, test hangs.
                    server_got = testing::receive_until_end(peer);
                    testing::send_all(peer, frame(1, "out:" + server_got) + frame(2, "err!"));
                  }});
  Pipe in;
  Pipe out;
  Pipe err;
  in.write("hello\nworld\n");
  in.close_write();
  core::AttachedExecSpec spec{
      .exec = {.cmd = {"cat"}, .env = {"K=V"}, .working_dir = "/w", .user = "1000"},
      .stdin_fd = in.read_end(),
      .stdout_fd = out.write_end(),
      .stderr_fd = err.write_end()};
  const auto code = engine->exec_attached("abc", spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(server_got, "hello\nworld\n");
  EXPECT_EQ(out.drain(), "out:hello\nworld\n");
  EXPECT_EQ(err.drain(), "err!");

  const auto* create = engine.transport->last("/v1.41/containers/abc/exec");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(body_json(*create), json::parse(R"({"AttachStdin":true,"AttachStdout":true,
      "AttachStderr":true,"Tty":false,"Cmd":["cat"],"Env":["K=V"],"WorkingDir":"/w",
      "User":"1000"})"));
  const auto* start = engine.transport->last("/v1.41/exec/ex1/start");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->method, HttpMethod::kPost);
  EXPECT_EQ(start->header("Connection"), "Upgrade");
  EXPECT_EQ(start->header("Upgrade"), "tcp");
  EXPECT_EQ(body_json(*start), json::parse(R"({"Detach":false,"Tty":false})"));
  EXPECT_TRUE(resizes(*engine.transport).empty());
}

TEST(DockerEngineAttachTest, NoStdinIsNotAttachedAndAnOldStyleHijackAnswerWorks) {
  const testing::CancelAfter watchdog(kWatchdog);
  EngineFixture engine;
  exec_created(engine);
  exec_exits(engine, 0);
  // Engines before the upgrade answer 200 and hijack all the same.
  engine.transport->on_upgrade("/v1.41/exec/ex1/start",
                               FakeUpgrade{.status = 200, .serve = [](int peer) {
                                             testing::send_all(peer, frame(1, "done\n"));
                                           }});
  Pipe out;
  core::AttachedExecSpec spec{
      .exec = {.cmd = {"true"}}, .stdin_fd = -1, .stdout_fd = out.write_end(), .stderr_fd = -1};
  const auto code = engine->exec_attached("abc", spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(out.drain(), "done\n");
  EXPECT_EQ(body_json(*engine.transport->last("/v1.41/containers/abc/exec"))["AttachStdin"], false);
}

TEST(DockerEngineAttachTest, TtyGetsItsFirstSizeByResizeOnOldEnginesAndFollowsResizes) {
  const testing::CancelAfter watchdog(kWatchdog);
  EngineFixture engine;
  exec_created(engine);
  exec_exits(engine, 0);
  engine.transport->on(HttpMethod::kPost, "/v1.41/exec/ex1/resize", reply(200));
  std::atomic<int> asked{0};
  engine.transport->on_upgrade(
      "/v1.41/exec/ex1/start", FakeUpgrade{.serve = [&asked](int peer) {
        testing::send_all(peer, "raw \x1b[1mbytes\r\n");
        // Stay open until the session asked for the size again after the resize.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (asked.load() < 3 && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }});
  Pipe out;
  core::AttachedExecSpec spec{.exec = {.cmd = {"bash"}},
                              .tty = true,
                              .size = {.rows = 24, .cols = 80},
                              .stdin_fd = -1,
                              .stdout_fd = out.write_end(),
                              .resized = [&asked]() -> std::optional<core::TerminalSize> {
                                if (++asked == 2) {
                                  return core::TerminalSize{.rows = 50, .cols = 132};
                                }
                                return std::nullopt;
                              }};
  const auto code = engine->exec_attached("abc", spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(out.drain(), "raw \x1b[1mbytes\r\n");  // not decoded as frames
  EXPECT_EQ(resizes(*engine.transport),
            (std::vector<std::string>{"/v1.41/exec/ex1/resize?h=24&w=80",
                                      "/v1.41/exec/ex1/resize?h=50&w=132"}));
  const auto* create = engine.transport->last("/v1.41/containers/abc/exec");
  EXPECT_EQ(body_json(*create)["Tty"], true);
  EXPECT_FALSE(body_json(*create).contains("ConsoleSize"));
  EXPECT_EQ(body_json(*engine.transport->last("/v1.41/exec/ex1/start")),
            json::parse(R"({"Detach":false,"Tty":true})"));
}

TEST(DockerEngineAttachTest, NewerEnginesGetConsoleSizeAtCreateAndStartInsteadOfAResize) {
  const testing::CancelAfter watchdog(kWatchdog);
  EngineFixture engine("1.43");
  exec_created(engine);
  exec_exits(engine, 0, "1.43");
  engine.transport->on_upgrade("/v1.43/exec/ex1/start", FakeUpgrade{});
  Pipe out;
  core::AttachedExecSpec spec{.exec = {.cmd = {"bash"}},
                              .tty = true,
                              .size = {.rows = 33, .cols = 99},
                              .stdin_fd = -1,
                              .stdout_fd = out.write_end()};
  const auto code = engine->exec_attached("abc", spec);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(body_json(*engine.transport->last("/v1.43/containers/abc/exec"))["ConsoleSize"],
            json::parse("[33,99]"));
  EXPECT_EQ(body_json(*engine.transport->last("/v1.43/exec/ex1/start")),
            json::parse(R"({"Detach":false,"Tty":true,"ConsoleSize":[33,99]})"));
  EXPECT_TRUE(resizes(*engine.transport).empty());
}

TEST(DockerEngineAttachTest, StoppedContainerIsAConflictNamingIt) {
  EngineFixture engine;
  engine.transport->on(HttpMethod::kPost, "/v1.41/containers/abc/exec",
                       reply(409, R"({"message":"Container abc is not running"})"));
  const auto code = engine->exec_attached("abc", {.exec = {.cmd = {"bash"}}});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kConflict);
  EXPECT_NE(code.error().message.find("container abc"), std::string::npos) << code.error().message;
  EXPECT_NE(code.error().message.find("is not running"), std::string::npos) << code.error().message;
}

TEST(DockerEngineAttachTest, RefusedStartIsMappedFromItsBody) {
  EngineFixture engine;
  exec_created(engine);
  engine.transport->on_upgrade(
      "/v1.41/exec/ex1/start",
      FakeUpgrade{.status = 404, .body = R"({"message":"No such exec instance: ex1"})"});
  const auto code = engine->exec_attached("abc", {.exec = {.cmd = {"bash"}}, .stdin_fd = -1});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kNotFound);
  EXPECT_NE(code.error().message.find("No such exec instance"), std::string::npos)
      << code.error().message;
}

TEST(DockerEngineAttachTest, EmptyCommandIsRefusedBeforeAnyRequest) {
  EngineFixture engine;
  const auto code = engine->exec_attached("abc", {});
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(engine.transport->last("/v1.41/containers"), nullptr);
}

TEST(DockerEngineAttachTest, CancellationEndsTheSession) {
  EngineFixture engine;
  exec_created(engine);
  engine.transport->on_upgrade("/v1.41/exec/ex1/start", FakeUpgrade{.serve = [](int peer) {
                                 // Until the client goes away.
                                 testing::receive_until_end(peer);
                               }});
  Pipe out;
  int wakes = 0;
  core::AttachedExecSpec spec{.exec = {.cmd = {"sleep", "infinity"}},
                              .stdin_fd = -1,
                              .stdout_fd = out.write_end(),
                              .resized = [&wakes]() -> std::optional<core::TerminalSize> {
                                if (++wakes == 3) {
                                  util::request_cancel();
                                }
                                return std::nullopt;
                              }};
  spec.tty = true;
  const auto code = engine->exec_attached("abc", spec);
  util::reset_cancel();
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, ErrorCode::kCancelled);
  EXPECT_GE(wakes, 3);
}

}  // namespace
}  // namespace deepdock::adapters::docker::test
