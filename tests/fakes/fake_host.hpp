#pragma once
// FakeHost: a HostExecutor that keeps a host's files in a map (cat, tee, mkdir) and answers
// every other command through `handler`; it records each command it ran (without sudo).

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/ports/host_executor.hpp"
#include "util/shell_quote.hpp"
#include "util/strings.hpp"

namespace deepdock::testing {

class FakeHost : public core::HostExecutor {
 public:
  using Handler = std::function<core::HostCommandResult(const std::vector<std::string>& argv,
                                                        const std::string& stdin_data)>;

  [[nodiscard]] std::string where() const override { return "ssh://whale@fake"; }

  Result<core::HostCommandResult> run(const core::HostCommand& command) override {
    raw.push_back(util::shell_join(command.argv));
    std::vector<std::string> argv = command.argv;
    if (argv.size() > 2 && argv[0] == "sudo" && argv[1] == "-n") {
      argv.erase(argv.begin(), argv.begin() + 2);
    }
    ran.push_back(util::shell_join(argv));
    if (unreachable) {
      return fail(ErrorCode::kPrecondition, "ssh://whale@fake does not answer");
    }
    if (argv[0] == "cat" && argv.size() == 2) {
      const auto it = files.find(argv[1]);
      return it == files.end() ? core::HostCommandResult{1, "", "No such file or directory"}
                               : core::HostCommandResult{0, it->second, ""};
    }
    if (argv[0] == "tee" && argv.size() == 2) {
      files[argv[1]] = command.stdin_data;
      return core::HostCommandResult{0, command.stdin_data, ""};
    }
    if (argv[0] == "mkdir") {
      return core::HostCommandResult{0, "", ""};
    }
    return handler ? handler(argv, command.stdin_data) : core::HostCommandResult{0, "", ""};
  }

  Result<int> run_streaming(const core::HostCommand& command,
                            const std::function<void(std::string_view)>& on_line) override {
    TRY_ASSIGN(const core::HostCommandResult result, run(command));
    for (const std::string& line : util::split(result.stdout_text + result.stderr_text, '\n')) {
      if (!line.empty()) {
        on_line(line);
      }
    }
    return result.exit_code;
  }

  // How many commands ran whose text starts with `prefix`.
  [[nodiscard]] size_t count(const std::string& prefix) const {
    size_t n = 0;
    for (const std::string& command : ran) {
      n += command.rfind(prefix, 0) == 0 ? 1U : 0U;
    }
    return n;
  }

  std::map<std::string, std::string> files;
  std::vector<std::string> ran;  // without a leading `sudo -n`
  std::vector<std::string> raw;  // as asked
  Handler handler;
  bool unreachable = false;
};

}  // namespace deepdock::testing
