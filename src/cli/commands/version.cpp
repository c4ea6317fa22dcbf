// `deepdock version`: the client's version, the engine it reaches, the API version they
// agreed on, and whether containers can get GPUs there.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/engine_report.hpp"
#include "cli/commands/commands.hpp"
#include "cli/engine_factory.hpp"
#include "util/strings.hpp"

namespace deepdock::cli::commands {
namespace {

nlohmann::json to_json(const app::EngineReport& report) {
  const auto& e = report.engine;
  return {{"client", {{"version", DEEPDOCK_VERSION}}},
          {"engine",
           {{"endpoint", e.endpoint},
            {"version", e.version},
            {"api_version", e.api_version.str()},
            {"server_api_version", e.server_api_version.str()},
            {"server_min_api_version", e.server_min_api_version.str()},
            {"os", e.os},
            {"arch", e.arch},
            {"kernel", e.kernel},
            {"podman", e.is_podman},
            {"runtimes", e.runtimes},
            {"default_runtime", e.default_runtime},
            {"cgroup_driver", e.cgroup_driver},
            {"storage_driver", e.storage_driver},
            {"cdi_spec_dirs", e.cdi_spec_dirs}}},
          {"gpu",
           {{"nvidia_runtime", report.gpu.nvidia_runtime},
            {"cdi", report.gpu.cdi},
            {"notes", report.gpu.notes}}}};
}

void print_text(const app::EngineReport& report) {
  const auto& e = report.engine;
  fmt::print("deepdock {}\n", DEEPDOCK_VERSION);
  fmt::print("engine   {} {} at {}\n", e.is_podman ? "podman" : "docker", e.version, e.endpoint);
  fmt::print("api      {} (server {}, min {})\n", e.api_version.str(), e.server_api_version.str(),
             e.server_min_api_version.str());
  fmt::print("host     {}/{} kernel {}, cgroup driver {}, storage {}\n", e.os, e.arch, e.kernel,
             e.cgroup_driver, e.storage_driver);
  fmt::print("runtimes {} (default {})\n", util::join(e.runtimes, ", "), e.default_runtime);
  std::string gpu;
  if (report.gpu.nvidia_runtime) {
    gpu = "nvidia runtime";
  }
  if (report.gpu.cdi) {
    gpu += gpu.empty() ? "CDI" : ", CDI";
  }
  fmt::print("gpus     {}\n", gpu.empty() ? "not available to containers" : gpu);
  for (const auto& note : report.gpu.notes) {
    fmt::print("  note: {}\n", note);
  }
}

}  // namespace

CommandAction setup_version(CLI::App& /*sub*/, const GlobalOptions& global) {
  return [&global]() -> Status {
    TRY_ASSIGN(auto engine, connect_engine());
    TRY_ASSIGN(const auto report, app::describe_engine(*engine));
    if (global.json) {
      fmt::print("{}\n", to_json(report).dump(2));
    } else {
      print_text(report);
    }
    return {};
  };
}

}  // namespace deepdock::cli::commands
