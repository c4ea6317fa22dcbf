// Interrupting `deepdock up` at any moment leaves nothing a second `up` cannot repair.
// Each trial changes the spec (its Jupyter port, which the image's ENV and the container
// carry) so that `up` has a build and a container replacement to do, starts it, kills it
// after a random delay with SIGINT, SIGTERM or SIGKILL, then runs `up` again and checks
// that it converges: exit 0, verified, exactly one container of the environment, running,
// with Jupyter answering on the new port.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <random>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

constexpr int kTrials = 20;

std::string spec_text(const std::string& name, uint16_t port) {
  return fmt::format(
      "name: {}\nframework: pytorch\nbase: debootstrap:bookworm\n"
      "apt: [python3-torch, jupyter-notebook]\njupyter: notebook\ntensorboard: false\n"
      "network: host\nports: {{jupyter: {}}}\n",
      name, port);
}

TEST(UpInterruptTest, KilledAtRandomMomentsASecondUpConverges) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  TempDir dir;
  const E2eEnv e2e = e2e_env(dir.path() / "state", docker_host);
  const std::string name = "e2e-interrupt-" + unique_suffix();
  const EnvironmentCleanup cleanup(e2e.env, name);
  const fs::path spec = dir.path() / "deepdock.yaml";
  const uint16_t port_a = free_port();
  const uint16_t port_b = free_port(port_a);
  ASSERT_NE(port_a, 0);
  ASSERT_NE(port_b, 0);

  // A first, uninterrupted run makes the base and the heavy layers; then one with the other
  // port measures how long a change takes, which bounds the random kill times.
  write_file(spec, spec_text(name, port_a));
  const BinaryRun warm = testing::run_deepdock({"up", "-f", spec.string()}, e2e.env);
  ASSERT_EQ(warm.exit_code, 0) << warm.stderr_text;
  write_file(spec, spec_text(name, port_b));
  const auto timed_start = std::chrono::steady_clock::now();
  const BinaryRun timed = testing::run_deepdock({"up", "-f", spec.string()}, e2e.env);
  ASSERT_EQ(timed.exit_code, 0) << timed.stderr_text;
  const auto change_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - timed_start)
                             .count();
  std::cout << "[ change   ] an up with a changed port takes " << change_ms << " ms\n";

  std::mt19937 random(std::random_device{}());
  // Most kills land inside the run; a few after it, when there is nothing left to break.
  std::uniform_int_distribution<int64_t> delay(0, change_ms);
  const std::array<int, 3> signals = {SIGINT, SIGTERM, SIGKILL};
  std::map<int, int> exit_codes;
  for (int trial = 0; trial < kTrials; ++trial) {
    const uint16_t port = trial % 2 == 0 ? port_a : port_b;
    write_file(spec, spec_text(name, port));
    const int sig = signals[static_cast<size_t>(trial) % signals.size()];
    const int64_t after = delay(random);
    int interrupted_exit = 0;
    {
      Spawned up({"up", "-f", spec.string()}, e2e.env, dir.path());
      std::this_thread::sleep_for(std::chrono::milliseconds(after));
      up.signal(sig);
      interrupted_exit = up.wait();
      ++exit_codes[interrupted_exit];
      if (sig == SIGINT && interrupted_exit != 0) {
        EXPECT_EQ(interrupted_exit, 130) << "trial " << trial << ": " << up.err();
      }
    }
    const BinaryRun again = testing::run_deepdock({"up", "-f", spec.string(), "--json"}, e2e.env);
    ASSERT_EQ(again.exit_code, 0) << "trial " << trial << " (signal " << sig << " after " << after
                                  << " ms, exit " << interrupted_exit << "):\n"
                                  << again.stderr_text;
    const auto summary = parse_json(again.stdout_text);
    EXPECT_TRUE(summary["verification"]["passed"].get<bool>());
    EXPECT_EQ(summary["jupyter"]["port"].get<int>(), port) << "trial " << trial;
    const std::string containers =
        docker("ps -a --format '{{.ID}} {{.State}}' --filter label=deepdock.env=" + name);
    EXPECT_EQ(std::count(containers.begin(), containers.end(), '\n'), 0)
        << "trial " << trial << ": one container expected:\n"
        << containers;
    EXPECT_NE(containers.find(" running"), std::string::npos) << containers;
    EXPECT_EQ(shell_output(fmt::format("curl -s -o /dev/null -w '%{{http_code}}' "
                                       "http://127.0.0.1:{}/api",
                                       port)),
              "200")
        << "trial " << trial;
  }
  std::string codes;
  for (const auto& [code, count] : exit_codes) {
    codes += fmt::format(" exit {}: {}x;", code, count);
  }
  std::cout << "[ trials   ] " << kTrials << " interrupted runs:" << codes << "\n";
  // Its images go too; the heavy layers stay cached under the offline test's kept tag.
  EXPECT_EQ(testing::run_deepdock({"down", "--images", "-f", spec.string()}, e2e.env).exit_code, 0);
}

}  // namespace
}  // namespace deepdock::e2e
