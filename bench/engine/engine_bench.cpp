// bench/engine: the container lifecycle and image inspects through deepdock's Engine API
// client beside the same operations through the docker CLI, in one run, with ratios.
//
//   deepdock_bench_engine [--iterations N] [--inspects N] [--image REF] [--docker PATH]
//
// The engine is found as deepdock finds it (DOCKER_HOST, contexts); the docker CLI gets the
// same DOCKER_HOST from the environment. Lifecycle = create, start, exec `true`, stop, remove,
// with --init so the stop is prompt on both sides.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "adapters/host/process.hpp"
#include "cli/engine_factory.hpp"
#include "util/strings.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using deepdock::ErrorCode;

struct Options {
  int iterations = 50;
  int inspects = 200;
  std::string image = "deepdock-test/bookworm:minbase";
  std::string docker = "docker";
};

Options parse(int argc, char** argv) {
  Options options;
  if (const char* image = std::getenv("DEEPDOCK_TEST_BASE_IMAGE"); image != nullptr) {
    options.image = image;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--iterations") {
      options.iterations = std::stoi(value);
    } else if (flag == "--inspects") {
      options.inspects = std::stoi(value);
    } else if (flag == "--image") {
      options.image = value;
    } else if (flag == "--docker") {
      options.docker = value;
    } else {
      fmt::print(stderr, "unknown flag {}\n", flag);
      std::exit(2);
    }
  }
  return options;
}

[[noreturn]] void die(const deepdock::Error& error) {
  fmt::print(stderr, "bench: {}\n  hint: {}\n", error.message, error.hint);
  std::exit(1);
}

template <typename T>
T must(deepdock::Result<T> result) {
  if (!result) {
    die(result.error());
  }
  return std::move(*result);
}

void must(const deepdock::Status& status) {
  if (!status) {
    die(status.error());
  }
}

std::string cli(const Options& options, std::vector<std::string> args) {
  args.insert(args.begin(), options.docker);
  auto result = must(deepdock::adapters::host::run_process(args, "", std::chrono::seconds(120)));
  if (result.exit_code != 0) {
    die({ErrorCode::kFailure,
         fmt::format("`{}` exited {}: {}", deepdock::util::join(args, " "), result.exit_code,
                     result.stderr_text),
         "is the docker CLI on PATH and DOCKER_HOST set?"});
  }
  return std::string(deepdock::util::trim(result.stdout_text));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void row(std::string_view what, int count, double client, double docker_cli) {
  fmt::print("{:<44} {:>5} {:>10.2f} ms {:>10.2f} ms {:>8.3f}\n", what, count,
             client * 1000.0 / count, docker_cli * 1000.0 / count, client / docker_cli);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  auto engine = must(deepdock::cli::connect_engine());
  const auto info = must(engine->info());
  must(engine->inspect_image(options.image));
  fmt::print("engine {} (API {}) at {}; image {}\n", info.version, info.api_version.str(),
             info.endpoint, options.image);

  // Lifecycle through the client.
  auto start = Clock::now();
  for (int i = 0; i < options.iterations; ++i) {
    deepdock::core::ContainerSpec spec;
    spec.name = fmt::format("deepdock-bench-client-{}", i);
    spec.image = options.image;
    spec.cmd = {"sleep", "infinity"};
    spec.network_mode = "none";
    spec.init = true;
    spec.labels = {{"deepdock.bench", "engine"}};
    const std::string id = must(engine->create_container(spec));
    must(engine->start_container(id));
    const auto exec = must(engine->exec(id, {.cmd = {"true"}}, nullptr));
    if (exec.exit_code != 0) {
      die({ErrorCode::kFailure, "exec true failed in the client run", ""});
    }
    must(engine->stop_container(id, 10));
    must(engine->remove_container(id, false, false));
  }
  const double client_lifecycle = seconds_since(start);

  // The same through the docker CLI.
  start = Clock::now();
  for (int i = 0; i < options.iterations; ++i) {
    const std::string id =
        cli(options,
            {"create", "--init", "--network", "none", "--label", "deepdock.bench=engine", "--name",
             fmt::format("deepdock-bench-cli-{}", i), options.image, "sleep", "infinity"});
    cli(options, {"start", id});
    cli(options, {"exec", id, "true"});
    cli(options, {"stop", "-t", "10", id});
    cli(options, {"rm", id});
  }
  const double cli_lifecycle = seconds_since(start);

  start = Clock::now();
  for (int i = 0; i < options.inspects; ++i) {
    must(engine->inspect_image(options.image));
  }
  const double client_inspect = seconds_since(start);

  start = Clock::now();
  for (int i = 0; i < options.inspects; ++i) {
    cli(options, {"image", "inspect", "--format", "{{.Id}}", options.image});
  }
  const double cli_inspect = seconds_since(start);

  fmt::print("{:<44} {:>5} {:>13} {:>13} {:>8}\n", "operation", "runs", "deepdock", "docker CLI",
             "ratio");
  row("create+start+exec+stop+remove (per cycle)", options.iterations, client_lifecycle,
      cli_lifecycle);
  row("image inspect (per call)", options.inspects, client_inspect, cli_inspect);
  fmt::print("ratio = deepdock time / docker CLI time (below 1 means deepdock is faster)\n");
  return 0;
}
