// The offline environment for real: the Dockerfile generated for a debootstrap base with
// Debian's python3-torch and jupyter-notebook, built by the real engine through DockerEngine
// (apt reaches the mirror over the host network: the test engine has no bridge), then run
// with host networking the way `deepdock up` runs a `network: host` spec.
//
// The image is tagged twice: a per-run tag, removed at the end, and kLayerCacheTag, kept on
// purpose. Removing an image's last tag also deletes its untagged parents, which are the
// classic builder's layer cache; the kept tag lets the next run reuse the apt layer instead
// of downloading python3-torch and Jupyter again. The build is deterministic (generated
// files carry a fixed mtime, no per-run build labels), so both tags name one image.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "adapters/http/curl_transport.hpp"
#include "gen/environment_dockerfile.hpp"
#include "integration/docker/engine_test_support.hpp"
#include "support/free_port.hpp"

namespace deepdock::gen {
namespace {

namespace it = adapters::docker::integration;
using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

constexpr const char* kLayerCacheTag = "deepdock-it/offline-pytorch:layer-cache";

std::string random_token() {
  std::random_device random;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    token += fmt::format("{:08x}", random());
  }
  return token;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

core::Spec offline_spec() {
  core::Spec spec;
  spec.name = "offline-pytorch";
  spec.framework = core::Framework::kPytorch;
  spec.base = "debootstrap:bookworm";
  spec.apt = {"python3-torch", "jupyter-notebook"};
  spec.jupyter = core::JupyterMode::kNotebook;
  spec.tensorboard = true;
  spec.network = core::NetworkMode::kHost;
  return spec;
}

core::Resolution offline_resolution() {
  core::Resolution r;
  r.framework = core::Framework::kPytorch;
  r.framework_version = "debian";
  r.python = "3.11";
  r.base_kind = core::BaseKind::kDebootstrap;
  r.base_image = "debootstrap:bookworm";
  r.apt_packages = {"python3-torch"};
  return r;
}

std::string logs_of(core::ContainerEngine& engine, const std::string& id) {
  std::string text;
  (void)engine.container_logs(id, {},
                              [&](core::StreamKind, std::string_view data) { text.append(data); });
  return text;
}

Result<core::HttpResponse> jupyter_request(core::HttpTransport& jupyter, core::HttpMethod method,
                                           const std::string& target, const std::string& token) {
  core::HttpRequest request{.method = method, .target = target};
  if (!token.empty()) {
    request.headers.push_back({"Authorization", "token " + token});
  }
  if (method == core::HttpMethod::kPost) {
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = "{}";
  }
  request.timeout = seconds(10);
  request.retryable = false;
  return jupyter.send(request);
}

// The Jupyter API answering with 200, within `limit`; nullopt when it never did or the
// container stopped.
std::optional<core::HttpResponse> wait_for_jupyter(core::ContainerEngine& engine,
                                                   const std::string& id,
                                                   core::HttpTransport& jupyter, seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    auto answer = jupyter_request(jupyter, core::HttpMethod::kGet, "/api", "");
    if (answer && answer->status == 200) {
      return *answer;
    }
    const auto state = engine.inspect_container(id);
    if (!state || !state->state.running) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return std::nullopt;
}

std::string container_health(core::ContainerEngine& engine, const std::string& id, seconds limit) {
  const auto deadline = Clock::now() + limit;
  std::string health;
  while (Clock::now() < deadline) {
    const auto state = engine.inspect_container(id);
    health = state ? state->state.health : state.error().message;
    if (health == "healthy" || health == "unhealthy") {
      break;
    }
    std::this_thread::sleep_for(seconds(1));
  }
  return health;
}

TEST(OfflineImageBuildTest, DebootstrapPytorchNotebookBuildsAndServesJupyterAsTheUser) {
  DEEPDOCK_REQUIRE_COMPONENT(docker_host, "DOCKER_HOST");
  DEEPDOCK_REQUIRE_COMPONENT(base_image, "DEEPDOCK_TEST_BASE_IMAGE");
  auto made = it::engine_for(docker_host);
  ASSERT_TRUE(made) << made.error().message;
  core::ContainerEngine& engine = **made;
  const auto info = engine.info();
  DEEPDOCK_REQUIRE_OK(info, "the Docker engine at " + docker_host + " does not answer");
  const auto base = engine.inspect_image(base_image);
  DEEPDOCK_REQUIRE_OK(base, "the base image " + base_image +
                                " is missing (scripts/test-components.sh start image)");
  it::Cleanup cleanup(engine);

  // Build.
  const GeneratedContext context =
      generate_environment(offline_spec(), offline_resolution(),
                           {.debootstrap_image = base_image, .requirements_name = ""});
  core::BuildRequest build;
  build.extra_files = context.files;
  build.extra_files["Dockerfile"] = context.dockerfile.render();
  const std::string tag = "deepdock-it/offline-pytorch:" + it::run_id();
  build.tags = {tag, kLayerCacheTag};
  build.network_mode = "host";
  cleanup.image(tag);
  std::string build_output;
  const auto build_start = Clock::now();
  const auto image_id = engine.build_image(
      build, [&](const core::ProgressEvent& event) { build_output += event.stream; });
  ASSERT_TRUE(image_id) << image_id.error().message << "\n" << build_output;
  std::cout << "[ build    ] " << seconds_since(build_start) << " s\n";

  // The labels record the resolution.
  const auto image = engine.inspect_image(tag);
  ASSERT_TRUE(image) << image.error().message;
  for (const auto& [key, value] : context.labels) {
    ASSERT_TRUE(image->labels.contains(key)) << key;
    EXPECT_EQ(image->labels.at(key), value) << key;
  }
  EXPECT_EQ(image->labels.at("deepdock.framework"), "pytorch");
  EXPECT_EQ(image->labels.at("deepdock.generator"), "deepdock");

  // Run it as `deepdock up` would with network: host; the port and token come at run time.
  const uint16_t port = testing::free_loopback_port();
  ASSERT_NE(port, 0);
  const std::string token = random_token();
  core::ContainerSpec run;
  run.name = "deepdock-it-offline-" + it::run_id();
  run.image = tag;
  run.env = {"DEEPDOCK_BIND_IP=127.0.0.1", "DEEPDOCK_JUPYTER_TOKEN=" + token,
             "DEEPDOCK_JUPYTER_PORT=" + std::to_string(port)};
  run.labels = {{"deepdock.managed", "true"}, {"deepdock.test-run", it::run_id()}};
  run.network_mode = "host";
  const auto id = engine.create_container(run);
  ASSERT_TRUE(id) << id.error().message;
  cleanup.container(*id);
  const auto run_start = Clock::now();
  ASSERT_TRUE(engine.start_container(*id));

  // Jupyter answers on the host's loopback.
  adapters::http::TransportConfig config;
  config.base_url = "http://127.0.0.1:" + std::to_string(port);
  config.connect_timeout = seconds(2);
  config.max_attempts = 1;
  adapters::http::CurlTransport jupyter(config);
  const auto api = wait_for_jupyter(engine, *id, jupyter, seconds(90));
  ASSERT_TRUE(api) << "Jupyter did not answer on 127.0.0.1:" << port << "; container log:\n"
                   << logs_of(engine, *id);
  std::cout << "[ jupyter  ] GET /api answered after " << seconds_since(run_start)
            << " s: " << api->body << "\n";
  EXPECT_NE(api->body.find("\"version\""), std::string::npos) << api->body;

  // The token from the container's environment guards the API.
  const auto with_token = jupyter_request(jupyter, core::HttpMethod::kGet, "/api/status", token);
  ASSERT_TRUE(with_token) << with_token.error().message;
  EXPECT_EQ(with_token->status, 200) << with_token->body;
  const auto without = jupyter_request(jupyter, core::HttpMethod::kGet, "/api/status", "");
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(without->status, 403) << without->body;

  // The framework imports and runs an op, as the non-root user.
  const auto torch = engine.exec(*id,
                                 {.cmd = {"python3", "-c",
                                          "import os, torch; print(os.getuid(), torch.__version__, "
                                          "int(torch.ones(3).sum().item()))"}},
                                 {});
  ASSERT_TRUE(torch) << torch.error().message;
  EXPECT_EQ(torch->exit_code, 0) << torch->stderr_text;
  EXPECT_TRUE(torch->stdout_text.starts_with("1000 1.13")) << torch->stdout_text;
  EXPECT_TRUE(torch->stdout_text.ends_with(" 3\n")) << torch->stdout_text;

  // Jupyter is the main process, runs as uid 1000, and its command line holds no token.
  const auto main_process = engine.exec(*id,
                                        {.cmd = {"sh", "-c",
                                                 "grep '^Uid:' /proc/1/status; tr '\\0' ' ' "
                                                 "</proc/1/cmdline"}},
                                        {});
  ASSERT_TRUE(main_process) << main_process.error().message;
  EXPECT_TRUE(main_process->stdout_text.starts_with("Uid:\t1000\t1000"))
      << main_process->stdout_text;
  EXPECT_NE(main_process->stdout_text.find("-m notebook"), std::string::npos)
      << main_process->stdout_text;
  EXPECT_EQ(main_process->stdout_text.find(token), std::string::npos);

  // A kernel starts, on the venv's Python (so pip installs into the venv reach notebooks).
  const auto kernel = jupyter_request(jupyter, core::HttpMethod::kPost, "/api/kernels", token);
  ASSERT_TRUE(kernel) << kernel.error().message;
  ASSERT_EQ(kernel->status, 201) << kernel->body;
  std::string kernel_line;
  for (int attempt = 0; attempt < 30 && kernel_line.empty(); ++attempt) {
    const auto listed = engine.exec(
        *id,
        {.cmd = {"sh", "-c",
                 "for p in /proc/[0-9]*; do tr '\\0' ' ' <\"$p/cmdline\"; echo; done 2>/dev/null"
                 " | grep ipykernel_launcher || true"}},
        {});
    ASSERT_TRUE(listed) << listed.error().message;
    kernel_line = listed->stdout_text;
    std::this_thread::sleep_for(seconds(1));
  }
  EXPECT_TRUE(kernel_line.starts_with("/opt/deepdock/venv/bin/python3 ")) << kernel_line;
  const std::string kernel_id = nlohmann::json::parse(kernel->body).value("id", "");
  EXPECT_TRUE(
      jupyter_request(jupyter, core::HttpMethod::kDelete, "/api/kernels/" + kernel_id, token));

  // The HEALTHCHECK sees Jupyter too; TensorBoard, which Debian lacks, is skipped and said.
  EXPECT_EQ(container_health(engine, *id, seconds(60)), "healthy");
  const std::string log = logs_of(engine, *id);
  EXPECT_NE(log.find("TensorBoard is not installed in this image"), std::string::npos) << log;
  EXPECT_EQ(log.find(token), std::string::npos) << "the token reached the container log";

  // Jupyter handles SIGTERM itself, so a stop is quick rather than a kill after the timeout.
  const auto stop_start = Clock::now();
  ASSERT_TRUE(engine.stop_container(*id, 20));
  EXPECT_LT(seconds_since(stop_start), 15.0);
}

}  // namespace
}  // namespace deepdock::gen
