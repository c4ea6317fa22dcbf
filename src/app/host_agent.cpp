#include "app/host_agent.hpp"

#include <fmt/format.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "util/strings.hpp"

namespace deepdock::app {
namespace {

constexpr size_t kKeptLines = 12;

core::HostCommand maybe_sudo(core::HostCommand command, bool sudo) {
  if (sudo) {
    command.argv.insert(command.argv.begin(), {"sudo", "-n"});
  }
  return command;
}

std::string first_line(std::string_view text) {
  const std::string_view trimmed = util::trim(text);
  return std::string(trimmed.substr(0, trimmed.find('\n')));
}

// The ErrorCode whose exit status the host side ended with.
ErrorCode code_of_exit(int status) {
  switch (status) {
    case 2:
      return ErrorCode::kInvalidInput;
    case 3:
      return ErrorCode::kPrecondition;
    case 130:
      return ErrorCode::kCancelled;
    default:
      return ErrorCode::kFailure;
  }
}

// Extracts the bundle into a temporary directory and renames it into place, so a bundle
// directory is either whole or absent; older bundles are removed afterwards.
constexpr const char* kExtractBundle =
    "set -e; rm -rf \"$1.tmp\"; mkdir -p \"$1.tmp\"; tar -xzf - -C \"$1.tmp\"; "
    "rm -rf \"$1\"; mv \"$1.tmp\" \"$1\"; "
    "for old in \"$(dirname \"$1\")\"/*; do [ \"$old\" = \"$1\" ] || rm -rf \"$old\"; done";
constexpr const char* kWriteLauncher =
    "set -e; mkdir -p \"$(dirname \"$1\")\"; cat >\"$1.tmp\"; chmod 755 \"$1.tmp\"; "
    "mv \"$1.tmp\" \"$1\"";
constexpr const char* kBundlePresent =
    "test -x \"$1/bin/deepdock\" && test -x \"$1/lib/$2\" && grep -qF \"$1/\" \"$3\"";

}  // namespace

std::string options_json(const HostAgentOptions& options) {
  nlohmann::json json{{"driver_branch", options.driver_branch},
                      {"origin", options.origin},
                      {"user", options.user},
                      {"registry", options.registry}};
  if (options.idle_stop_minutes) {
    json["idle_stop_minutes"] = *options.idle_stop_minutes;
    json["idle_ports"] = options.idle_ports;
  }
  return json.dump(2) + "\n";
}

Result<HostAgentOptions> parse_options_json(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} is not a JSON object", kHostOptionsPath),
                "run `deepdock bootstrap --host …` from your machine again: it writes it");
  }
  HostAgentOptions options;
  options.driver_branch = json.value("driver_branch", "");
  options.origin = json.value("origin", "");
  options.user = json.value("user", "");
  options.registry = json.value("registry", "");
  if (const auto minutes = json.find("idle_stop_minutes");
      minutes != json.end() && minutes->is_number_integer()) {
    options.idle_stop_minutes = minutes->get<int>();
    for (const auto& port : json.value("idle_ports", nlohmann::json::array())) {
      if (port.is_number_unsigned() && port.get<unsigned>() <= 65535) {
        options.idle_ports.push_back(static_cast<uint16_t>(port.get<unsigned>()));
      }
    }
  }
  return options;
}

std::string bundle_dir(std::string_view hash) {
  return fmt::format("{}/{}", kHostAgentRoot, hash.substr(0, 16));
}

std::string launcher_script(std::string_view dir, std::string_view interpreter) {
  return fmt::format(
      "#!/bin/sh\n"
      "# deepdock, with the C library and loader it was built with (written by deepdock "
      "bootstrap)\n"
      "exec {0}/lib/{1} --library-path {0}/lib {0}/bin/deepdock \"$@\"\n",
      dir, interpreter);
}

std::string results_line(const HostRunReport& report) {
  nlohmann::json steps = nlohmann::json::array();
  for (const BootstrapStepResult& r : report.results) {
    steps.push_back({{"id", r.id}, {"outcome", r.outcome}, {"seconds", r.seconds}});
  }
  return std::string(kResultsPrefix) +
         nlohmann::json{{"steps", steps}, {"reconnect", report.reconnect}}.dump();
}

std::optional<HostRunReport> parse_results_line(std::string_view line) {
  if (!line.starts_with(kResultsPrefix)) {
    return std::nullopt;
  }
  const auto json = nlohmann::json::parse(line.substr(kResultsPrefix.size()), nullptr, false);
  if (!json.is_object() || !json.contains("steps") || !json["steps"].is_array()) {
    return std::nullopt;
  }
  HostRunReport report;
  report.reconnect = json.value("reconnect", false);
  for (const auto& step : json["steps"]) {
    report.results.push_back({.id = step.value("id", ""),
                              .outcome = step.value("outcome", ""),
                              .seconds = step.value("seconds", 0.0)});
  }
  return report;
}

std::string error_line(const Error& error) {
  return std::string(kErrorPrefix) + nlohmann::json{{"message", error.message},
                                                    {"hint", error.hint},
                                                    {"exit_code", error.exit_code()}}
                                         .dump();
}

std::optional<Error> parse_error_line(std::string_view line) {
  if (!line.starts_with(kErrorPrefix)) {
    return std::nullopt;
  }
  const auto json = nlohmann::json::parse(line.substr(kErrorPrefix.size()), nullptr, false);
  if (!json.is_object()) {
    return std::nullopt;
  }
  const int status = json.value("exit_code", 1);
  Error error{code_of_exit(status), json.value("message", ""), json.value("hint", "")};
  error.exit_status = status;
  return error;
}

Result<std::string> install_host_agent(core::HostExecutor& host, const AgentBundle& bundle,
                                       bool sudo) {
  const std::string dir = bundle_dir(bundle.hash);
  TRY_ASSIGN(const core::HostCommandResult present,
             host.run({.argv = {"sh", "-c", kBundlePresent, "sh", dir, bundle.interpreter,
                                kHostLauncher}}));
  if (present.exit_code != 0) {
    TRY_ASSIGN(std::string archive, bundle.archive());
    TRY_ASSIGN(const core::HostCommandResult copied,
               host.run(maybe_sudo({.argv = {"sh", "-c", kExtractBundle, "sh", dir},
                                    .stdin_data = std::move(archive),
                                    .timeout = std::chrono::minutes(20)},
                                   sudo)));
    if (copied.exit_code != 0) {
      return fmt::format("the deepdock bundle could not be unpacked in {}: {}", dir,
                         first_line(copied.stderr_text));
    }
    TRY_ASSIGN(const core::HostCommandResult launcher,
               host.run(maybe_sudo({.argv = {"sh", "-c", kWriteLauncher, "sh", kHostLauncher},
                                    .stdin_data = launcher_script(dir, bundle.interpreter)},
                                   sudo)));
    if (launcher.exit_code != 0) {
      return fmt::format("the launcher {} could not be written: {}", kHostLauncher,
                         first_line(launcher.stderr_text));
    }
  }
  TRY_ASSIGN(const core::HostCommandResult started,
             host.run({.argv = {kHostLauncher, "bootstrap", "--help"}}));
  if (started.exit_code != 0) {
    return fmt::format("the deepdock bundle does not start there (exit status {}): {}",
                       started.exit_code, first_line(started.stderr_text));
  }
  return std::string();
}

Result<std::vector<BootstrapStepResult>> run_host_agent(
    BootstrapDeps& deps, const BootstrapSettings& settings, const HostAgentRequest& request,
    const std::function<void(std::string_view)>& relay) {
  core::HostExecutor& host = deps.host;
  TRY_ASSIGN(
      const core::HostCommandResult made,
      host.run(maybe_sudo({.argv = {"mkdir", "-p", core::kBootstrapStateDir}}, request.sudo)));
  TRY_ASSIGN(
      const core::HostCommandResult wrote,
      host.run(maybe_sudo(core::write_file_command(kHostOptionsPath, options_json(request.options)),
                          request.sudo)));
  if (made.exit_code != 0 || wrote.exit_code != 0) {
    return fail(ErrorCode::kFailure,
                fmt::format("cannot write {} on {}: {}", kHostOptionsPath, host.where(),
                            util::trim(made.stderr_text + wrote.stderr_text)));
  }
  std::vector<std::string> argv = {kHostLauncher, "bootstrap", "--on-host"};
  if (request.recheck) {
    argv.emplace_back("--check");
  }
  int reboots = 0;
  while (true) {
    std::optional<HostRunReport> report;
    std::optional<Error> failure;
    std::string rebooting_from;
    std::deque<std::string> tail;
    TRY_ASSIGN(const int code,
               host.run_streaming(
                   maybe_sudo({.argv = argv, .timeout = std::chrono::hours(6)}, request.sudo),
                   [&](std::string_view line) {
                     if (line.starts_with(kResultsPrefix)) {
                       report = parse_results_line(line);
                     } else if (line.starts_with(kErrorPrefix)) {
                       failure = parse_error_line(line);
                     } else if (line.starts_with(kRebootPrefix)) {
                       rebooting_from = std::string(util::trim(line.substr(kRebootPrefix.size())));
                     } else {
                       tail.emplace_back(line);
                       if (tail.size() > kKeptLines) {
                         tail.pop_front();
                       }
                       relay(line);
                     }
                   }));
    if (code == 0 && report) {
      if (report->reconnect) {
        TRY(deps.reconnect());
      }
      return std::move(report->results);
    }
    if (code == kExitRebooting && reboots < request.max_reboots) {
      ++reboots;
      TRY(wait_for_new_boot(deps, settings, rebooting_from));
      continue;
    }
    if (failure) {
      return fail(std::move(*failure));
    }
    std::string said;
    for (const std::string& line : tail) {
      said += "\n" + line;
    }
    return fail(code_of_exit(code),
                fmt::format("the bootstrap on {} ({} bootstrap --on-host) ended with exit status "
                            "{}{}",
                            host.where(), kHostLauncher, code, said),
                code == kExitRebooting
                    ? "the host rebooted more often than a bootstrap needs; see why on the host"
                    : "run `deepdock bootstrap` again: finished steps are not repeated");
  }
}

}  // namespace deepdock::app
