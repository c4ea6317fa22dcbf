#pragma once
// Flags every command takes.

#include <CLI/CLI.hpp>
#include <string>

namespace deepdock::cli {

struct GlobalOptions {
  bool json = false;      // machine-readable output on stdout
  bool debug = false;     // debug logging on stderr (secrets redacted)
  bool quiet = false;     // errors only
  std::string spec_file;  // -f FILE; empty = ./deepdock.yaml or the default environment
};

void add_global_options(CLI::App& app, GlobalOptions& options);
// Applies logging flags (and DEEPDOCK_LOG=debug|info|warn|error from the environment).
void apply_logging(const GlobalOptions& options);

}  // namespace deepdock::cli
