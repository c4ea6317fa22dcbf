// The main job end to end, offline: `deepdock up` on examples/offline-pytorch.yaml (base
// debootstrap:bookworm, Debian's PyTorch and Jupyter Notebook) against the real engine,
// then up again, a changed requirement, exec, status, logs, Jupyter in headless Chromium,
// and down. The example is used as it is, with its name, port and requirements changed so
// the test runs beside others.
#include <gtest/gtest.h>

#include <regex>

#include "e2e/e2e_support.hpp"

namespace deepdock::e2e {
namespace {

struct OfflineEnv {
  std::string name;
  uint16_t port = 0;
  fs::path spec;
  fs::path requirements;
};

OfflineEnv write_offline_spec(const fs::path& dir, const std::string& requirements) {
  OfflineEnv env;
  env.name = "e2e-offline-" + unique_suffix();
  env.port = free_port();
  std::string text = read_file(fs::path(DEEPDOCK_SOURCE_DIR) / "examples/offline-pytorch.yaml");
  text = std::regex_replace(text, std::regex("^name: .*$", std::regex::multiline),
                            "name: " + env.name);
  text += fmt::format("ports: {{jupyter: {}}}\nrequirements: requirements.txt\n", env.port);
  env.spec = dir / "deepdock.yaml";
  env.requirements = dir / "requirements.txt";
  write_file(env.spec, text);
  write_file(env.requirements, requirements);
  return env;
}

std::vector<std::string> image_layers(const std::string& image) {
  std::vector<std::string> layers;
  const auto parsed = parse_json(docker("image inspect -f '{{json .RootFS.Layers}}' " + image));
  if (parsed.is_array()) {
    for (const auto& layer : parsed) {
      layers.push_back(layer.get<std::string>());
    }
  }
  return layers;
}

std::string step_outcome(const nlohmann::json& summary, const std::string& id) {
  for (const auto& step : summary["steps"]) {
    if (step.value("id", "") == id) {
      return step.value("outcome", "");
    }
  }
  return "<no step " + id + ">";
}

TEST(UpOfflineTest, UpReuseRebuildExecStatusLogsBrowserDown) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  TempDir dir;
  const E2eEnv e2e = e2e_env(dir.path() / "state", docker_host);
  // Requirements that pip satisfies from Debian's packages in the image, offline.
  const OfflineEnv env = write_offline_spec(dir.path(), "--no-index\nnumpy\n");
  const EnvironmentCleanup cleanup(e2e.env, env.name);
  ASSERT_NE(env.port, 0);
  const std::vector<std::string> file = {"-f", env.spec.string()};
  auto args = [&](std::vector<std::string> more) {
    more.insert(more.begin() + 1, file.begin(), file.end());
    return more;
  };

  // 1. up: base image (debootstrap when missing), build, run, wait, verify.
  const BinaryRun first = testing::run_deepdock(args({"up", "--json"}), e2e.env);
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text << first.stdout_text;
  const auto summary1 = parse_json(first.stdout_text);
  ASSERT_TRUE(summary1.is_object()) << first.stdout_text;
  EXPECT_TRUE(summary1["ready"].get<bool>());
  EXPECT_TRUE(summary1["verification"]["passed"].get<bool>());
  EXPECT_EQ(summary1["verification"]["framework"], "pytorch");
  EXPECT_EQ(summary1["verification"]["device"], "cpu");
  EXPECT_EQ(summary1["gpu"]["mode"], "none");
  const std::string container1 = summary1["container"]["id"];
  const std::string image1 = summary1["image"];
  const std::string token = summary1["jupyter"]["token"];
  EXPECT_EQ(summary1["jupyter"]["port"].get<int>(), env.port);
  EXPECT_EQ(token.size(), 48U);
  std::cout << "[ first up ] " << summary1["total_seconds"]
            << " s; steps: " << summary1["steps"].dump() << "\n";

  // Jupyter answers on the host's loopback, and only with the token.
  const std::string base = fmt::format("http://127.0.0.1:{}", env.port);
  EXPECT_EQ(shell_output("curl -s -o /dev/null -w '%{http_code}' " + base + "/api/status"), "403");
  EXPECT_EQ(shell_output("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: token " +
                         token + "' " + base + "/api/status"),
            "200");
  EXPECT_EQ(docker("inspect -f '{{index .Config.Labels \"deepdock.managed\"}}' " + container1),
            "true");

  // 2. up again: nothing rebuilt, nothing restarted, the check not repeated.
  const std::string started1 = docker("inspect -f '{{.State.StartedAt}}' " + container1);
  const BinaryRun second = testing::run_deepdock(args({"up", "--json"}), e2e.env);
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  const auto summary2 = parse_json(second.stdout_text);
  EXPECT_EQ(summary2["container"]["id"], container1);
  EXPECT_EQ(summary2["image"], image1);
  EXPECT_EQ(step_outcome(summary2, "build-image"), "present");
  EXPECT_EQ(step_outcome(summary2, "container"), "reused (running)");
  EXPECT_TRUE(summary2["verification"]["from_record"].get<bool>());
  EXPECT_EQ(docker("inspect -f '{{.State.StartedAt}}' " + container1), started1);
  std::cout << "[ up again ] " << summary2["total_seconds"] << " s\n";

  // 3. A changed requirement: a new image, rebuilt from the requirements layer only.
  write_file(env.requirements, "--no-index\nnumpy\npackaging\n");
  const BinaryRun third = testing::run_deepdock(args({"up", "--json"}), e2e.env);
  ASSERT_EQ(third.exit_code, 0) << third.stderr_text;
  const auto summary3 = parse_json(third.stdout_text);
  const std::string image2 = summary3["image"];
  EXPECT_NE(image2, image1);
  EXPECT_EQ(step_outcome(summary3, "build-image"), "built");
  EXPECT_EQ(step_outcome(summary3, "container"), "replaced (configuration changed)");
  EXPECT_EQ(summary3["jupyter"]["token"], token) << "the token survives a replacement";
  const auto layers1 = image_layers(image1);
  const auto layers2 = image_layers(image2);
  ASSERT_FALSE(layers1.empty());
  ASSERT_EQ(layers1.size(), layers2.size());
  size_t shared = 0;
  while (shared < layers1.size() && layers1[shared] == layers2[shared]) {
    ++shared;
  }
  // Shared: the base, the apt layer (python3-torch, Jupyter) and the user's layer. Rebuilt:
  // COPY requirements, pip install -r, COPY of the generated files.
  EXPECT_EQ(shared, 3U) << "layers of " << image1 << " and " << image2;
  EXPECT_EQ(layers2.size() - shared, 3U);
  const std::string container2 = summary3["container"]["id"];
  EXPECT_NE(container2, container1);
  int gone = 0;
  shell_output("docker inspect " + container1, &gone);
  EXPECT_NE(gone, 0) << "the replaced container is removed";

  // 4. exec: output streamed, stdout and stderr apart, the exit code passed through.
  const BinaryRun exec =
      testing::run_deepdock(args({"exec", "--", "python3", "-c",
                                  "import sys, torch; print(int(torch.ones(2).sum().item())); "
                                  "print('to-stderr', file=sys.stderr); sys.exit(7)"}),
                            e2e.env);
  EXPECT_EQ(exec.exit_code, 7) << exec.stderr_text;
  EXPECT_EQ(exec.stdout_text, "2\n");
  EXPECT_NE(exec.stderr_text.find("to-stderr"), std::string::npos) << exec.stderr_text;
  const BinaryRun whoami = testing::run_deepdock(args({"exec", "--", "id", "-u"}), e2e.env);
  EXPECT_EQ(whoami.exit_code, 0);
  EXPECT_EQ(whoami.stdout_text, "1000\n");

  // 5. status --json lists it, running and verified, with its URL.
  const BinaryRun status = testing::run_deepdock({"status", "--json"}, e2e.env);
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  const auto listed = parse_json(status.stdout_text);
  bool found = false;
  for (const auto& entry : listed["environments"]) {
    if (entry["name"] == env.name) {
      found = true;
      EXPECT_EQ(entry["state"], "running");
      EXPECT_EQ(entry["container"]["id"], container2);
      EXPECT_EQ(entry["gpus"], "none");
      EXPECT_EQ(entry["framework"], "pytorch");
      EXPECT_TRUE(entry["verification"]["passed"].get<bool>());
      EXPECT_EQ(entry["jupyter"]["url"], summary3["jupyter"]["url"]);
    }
  }
  EXPECT_TRUE(found) << status.stdout_text;

  // verify runs the check again on demand.
  const BinaryRun verify = testing::run_deepdock(args({"verify", "--json"}), e2e.env);
  EXPECT_EQ(verify.exit_code, 0) << verify.stderr_text;
  const auto verified = parse_json(verify.stdout_text);
  EXPECT_TRUE(verified["passed"].get<bool>()) << verify.stdout_text;
  EXPECT_EQ(verified["device"], "cpu");
  // The native probe ran in the container first: no GPU there, which a CPU run expects.
  EXPECT_TRUE(verified["native"]["ran"].get<bool>()) << verify.stdout_text;
  EXPECT_EQ(verified["native"]["verdict"], "no-gpu");
  // PyTorch's own matrix product came out exact.
  EXPECT_EQ(verified["framework"], "pytorch");
  EXPECT_FALSE(verified["from_record"].get<bool>());
  EXPECT_EQ(docker("exec " + container2 + " test -x /tmp/deepdock-probe && echo present"),
            "present");

  // 6. logs: Jupyter's own output.
  // As in docker compose, -f after `logs` follows; the spec's -f goes before the command.
  const BinaryRun logs =
      testing::run_deepdock({"-f", env.spec.string(), "logs", "--tail", "200"}, e2e.env);
  EXPECT_EQ(logs.exit_code, 0) << logs.stderr_text;
  EXPECT_NE((logs.stdout_text + logs.stderr_text).find("Jupyter"), std::string::npos)
      << logs.stdout_text << logs.stderr_text;
  EXPECT_EQ((logs.stdout_text + logs.stderr_text).find(token), std::string::npos)
      << "the token reached the log";

  // 7. The Jupyter page in real headless Chromium: the file browser, not the login form.
  const std::string url = summary3["jupyter"]["url"];
  const fs::path shot = test_outputs_dir() / "jupyter-offline-pytorch.png";
  fs::remove(shot);
  const std::string chromium =
      "chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--no-first-run --user-data-dir=" +
      (dir.path() / "chromium").string() + " --window-size=1280,900 --virtual-time-budget=8000 ";
  int dom_exit = -1;
  const std::string dom = shell_output(chromium + "--dump-dom '" + url + "'", &dom_exit);
  EXPECT_EQ(dom_exit, 0) << dom;
  EXPECT_NE(dom.find("notebook_list"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(dom.find("Password or token"), std::string::npos) << "the token was refused";
  int shot_exit = -1;
  const std::string shot_log =
      shell_output(chromium + "--screenshot=" + shot.string() + " '" + url + "'", &shot_exit);
  EXPECT_EQ(shot_exit, 0) << shot_log;
  ASSERT_TRUE(fs::exists(shot)) << shot_log;
  EXPECT_GT(fs::file_size(shot), 10000U);
  EXPECT_EQ(read_file(shot).substr(1, 3), "PNG");
  std::cout << "[ browser  ] screenshot of " << url.substr(0, url.find('?')) << " in "
            << shot.string() << "\n";

  // 8. down --images: the containers and deepdock's tags go; a tag deepdock did not make
  // stays (here it also keeps the engine's layer cache for the next run).
  const std::string keep = "deepdock-e2e/offline-layer-cache:latest";
  docker("tag " + image2 + " " + keep);
  const BinaryRun down = testing::run_deepdock(args({"down", "--images"}), e2e.env);
  EXPECT_EQ(down.exit_code, 0) << down.stderr_text;
  EXPECT_NE(down.stdout_text.find("Removed container deepdock-" + env.name), std::string::npos)
      << down.stdout_text;
  EXPECT_NE(down.stdout_text.find("kept tag " + keep), std::string::npos) << down.stdout_text;
  int inspect_exit = 0;
  shell_output("docker inspect " + container2, &inspect_exit);
  EXPECT_NE(inspect_exit, 0);
  shell_output("docker image inspect " + image1, &inspect_exit);
  EXPECT_NE(inspect_exit, 0);
  shell_output("docker image inspect " + image2, &inspect_exit);
  EXPECT_NE(inspect_exit, 0);
  shell_output("docker image inspect " + keep, &inspect_exit);
  EXPECT_EQ(inspect_exit, 0);

  // 9. down twice is down once.
  const BinaryRun again = testing::run_deepdock(args({"down"}), e2e.env);
  EXPECT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_NE(again.stdout_text.find("Nothing to remove"), std::string::npos) << again.stdout_text;
}

}  // namespace
}  // namespace deepdock::e2e
