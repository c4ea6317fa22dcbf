#pragma once
// Runs the built deepdock binary (or another program) for tests and captures what it printed.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "util/shell_quote.hpp"

namespace deepdock::testing {

struct BinaryRun {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs a program (argv[0] looked up in PATH) and captures its output and exit code.
inline BinaryRun run_program(const std::vector<std::string>& argv) {
  // ctest runs tests in parallel: each run gets a stderr file of its own.
  std::string err_template = ::testing::TempDir() + "/deepdock-stderr-XXXXXX";
  const int fd = mkstemp(err_template.data());
  if (fd >= 0) {
    close(fd);
  }
  const std::string err_file = err_template;
  const std::string command = util::shell_join(argv) + " 2>" + util::shell_quote(err_file);
  BinaryRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.stdout_text.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* err = fopen(err_file.c_str(), "r"); err != nullptr) {
    while ((n = fread(buffer.data(), 1, buffer.size(), err)) > 0) {
      run.stderr_text.append(buffer.data(), n);
    }
    fclose(err);
  }
  std::remove(err_file.c_str());
  return run;
}

#ifdef DEEPDOCK_BINARY
// `env` holds "KEY=value" assignments placed before the command (via env(1)).
inline BinaryRun run_deepdock(const std::vector<std::string>& args,
                              const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.emplace_back(DEEPDOCK_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}
#endif

}  // namespace deepdock::testing
