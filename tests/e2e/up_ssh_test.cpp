// `up --ship` on an SSH host (the SSH test host: sshd in a container, Docker installed by
// the bootstrap when it is missing): the bootstrap runs first, the image is made here and
// shipped to the host's engine through the forwarded socket (every layer, since the host
// has none), Jupyter is awaited inside the container and tunnelled here; status, exec, a
// second `up` and down work through the same connection.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

TEST(UpSshTest, UpBootstrapsBuildsRunsVerifiesAndTunnelsOnAnSshHost) {
  DEEPDOCK_REQUIRE_COMPONENT(host, "DEEPDOCK_TEST_SSH_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(config, "DEEPDOCK_TEST_SSH_CONFIG");
  TempDir dir;
  const SshHostSession session(dir.path(), config);
  const std::vector<std::string>& env = session.env();
  std::string said;
  ASSERT_EQ(session.write_engine_settings(&said), 0) << said;

  const std::string name = "e2e-ssh-" + unique_suffix();
  const fs::path spec = dir.path() / "deepdock.yaml";
  std::string text = read_file(fs::path(DEEPDOCK_SOURCE_DIR) / "examples/offline-pytorch.yaml");
  text.replace(text.find("name: offline-pytorch"), 21, "name: " + name);
  // The host shares this machine's loopback (host networking), so its Jupyter port is busy
  // here too: the tunnel must move to another port and say so.
  const uint16_t remote_port = free_port();
  text +=
      fmt::format("ports: {{jupyter: {}}}\ntarget: {{kind: ssh, host: {}}}\n", remote_port, host);
  write_file(spec, text);
  const auto deepdock = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"-f", spec.string()});
    return testing::run_deepdock(args, env);
  };
  struct Down {
    std::function<void()> run;
    ~Down() { run(); }
  } down{[&] { deepdock({"down", "--images"}); }};

  const BinaryRun up = deepdock({"--json", "up", "--ship"});
  ASSERT_EQ(up.exit_code, 0) << up.stderr_text;
  const auto summary = parse_json(up.stdout_text);
  bool shipped = false;
  for (const auto& step : summary["steps"]) {
    if (step["id"] == "ship-image") {
      shipped = true;
      EXPECT_TRUE(step["outcome"].get<std::string>().starts_with("sent ")) << step.dump();
    }
  }
  EXPECT_TRUE(shipped) << up.stdout_text;
  // The host got the environment image, not the base it was made from.
  const std::string there = on_ssh_host(config, "docker images --format '{{.Repository}}'");
  EXPECT_NE(there.find("deepdock/" + name + "\n"), std::string::npos) << there;
  EXPECT_EQ(there.find("bookworm"), std::string::npos) << there;
  EXPECT_TRUE(summary["verification"]["passed"].get<bool>()) << up.stdout_text;
  EXPECT_TRUE(summary["verification"]["native"]["ran"].get<bool>());
  const std::string url = summary["jupyter"]["url"];
  EXPECT_EQ(url.find(fmt::format("127.0.0.1:{}/", remote_port)), std::string::npos)
      << "the tunnel should have moved off the busy port: " << url;
  EXPECT_NE(up.stdout_text.find("that port is busy here"), std::string::npos) << up.stdout_text;
  // The bootstrap ran first: its checkpoints are on the host.
  EXPECT_EQ(on_ssh_host(config,
                        "cd /var/lib/deepdock/bootstrap && ls docker-engine docker-group "
                        "engine-running"),
            "docker-engine\ndocker-group\nengine-running\n");

  // Jupyter through the tunnel: 200 with the token.
  const std::string api = url.substr(0, url.find("/tree")) + "/api";
  EXPECT_EQ(shell_output("curl -s -o /dev/null -w '%{http_code}' " + util::shell_quote(api)),
            "200");

  // The same connection serves the other commands.
  const BinaryRun exec = deepdock({"exec", "--", "sh", "-c", "exit 5"});
  EXPECT_EQ(exec.exit_code, 5) << exec.stderr_text;
  const BinaryRun status = deepdock({"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  bool listed = false;
  const auto environments = parse_json(status.stdout_text)["environments"];
  for (const auto& entry : environments) {
    if (entry["name"] == name) {
      listed = true;
      EXPECT_EQ(entry["jupyter"]["url"], url) << "status shows the tunnel's end";
    }
  }
  EXPECT_TRUE(listed) << status.stdout_text;

  // `tunnel` finds the open tunnel; held in the foreground, Ctrl-C ends it cleanly.
  const BinaryRun tunnel = deepdock({"--json", "tunnel", "--no-wait"});
  ASSERT_EQ(tunnel.exit_code, 0) << tunnel.stderr_text;
  EXPECT_EQ(parse_json(tunnel.stdout_text)["jupyter"], url);
  {
    Spawned held({"-f", spec.string(), "tunnel"}, env, dir.path());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (held.out().find("Ctrl-C") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    held.signal(SIGINT);
    EXPECT_EQ(held.wait(), 0) << held.err();
  }

  // A second `up` changes nothing and reuses the open tunnel.
  const BinaryRun again = deepdock({"--json", "up"});
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_EQ(parse_json(again.stdout_text)["jupyter"]["url"], url);
  EXPECT_EQ(parse_json(again.stdout_text)["container"]["id"], summary["container"]["id"]);
}

}  // namespace
}  // namespace deepdock::e2e
