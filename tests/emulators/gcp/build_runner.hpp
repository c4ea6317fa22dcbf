#pragma once
// Runs one program of an emulated build (tar to unpack the source, the --build-command) in a
// process group of its own, its stdout and stderr handed over as they come, and stops it
// (the whole group) when the build is cancelled or runs past its deadline.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::gcpemu {

struct RunOutcome {
  int exit_status = -1;  // -1: did not start, or was killed
  bool stopped = false;  // should_stop said so
  bool timed_out = false;
};

struct RunSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // added to the emulator's environment
  std::filesystem::path dir;               // working directory
  std::chrono::steady_clock::time_point deadline;
  std::function<void(std::string_view)> on_output;  // stdout and stderr, as they come
  std::function<bool()> should_stop;
};

RunOutcome run_program(const RunSpec& spec);

}  // namespace deepdock::gcpemu
