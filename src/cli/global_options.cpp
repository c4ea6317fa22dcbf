#include "cli/global_options.hpp"

#include <cstdlib>
#include <string_view>

#include "util/log.hpp"

namespace deepdock::cli {

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_flag("--json", options.json, "Print machine-readable JSON on stdout")->group("Global");
  app.add_flag("--debug", options.debug, "Log requests and decisions on stderr (secrets redacted)")
      ->group("Global");
  app.add_flag("-q,--quiet", options.quiet, "Print only errors on stderr")->group("Global");
  app.add_option("-f,--file", options.spec_file, "The environment spec (default ./deepdock.yaml)")
      ->group("Global");
}

void apply_logging(const GlobalOptions& options) {
  log::Level level = log::Level::kInfo;
  if (const char* env = std::getenv("DEEPDOCK_LOG"); env != nullptr) {
    const std::string_view value(env);
    if (value == "debug") {
      level = log::Level::kDebug;
    } else if (value == "warn") {
      level = log::Level::kWarn;
    } else if (value == "error") {
      level = log::Level::kError;
    }
  }
  if (options.quiet) {
    level = log::Level::kError;
  }
  if (options.debug) {
    level = log::Level::kDebug;
  }
  log::set_level(level);
}

}  // namespace deepdock::cli
