#pragma once
// The fixture host trees in tests/testdata/hosts/ (sysfs, procfs, /etc and /dev below a root
// directory), and a recorded nvidia-smi for the probes that would run it.

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/host/local_gpu_probe.hpp"

namespace deepdock::testing {

inline std::filesystem::path host_fixture(const std::string& name) {
  return std::filesystem::path(DEEPDOCK_TESTDATA_DIR) / "hosts" / name;
}

// nvidia-smi as the fixture host would answer it: `answer` (by default it fails, as it does
// where the driver does not answer), and a record of the calls.
struct RecordedSmi {
  std::vector<std::vector<std::string>> calls;
  adapters::host::ProcessResult answer{.exit_code = 9, .stdout_text = "", .stderr_text = ""};
  adapters::host::CommandRunner runner() {
    return [this](const std::vector<std::string>& argv) -> Result<adapters::host::ProcessResult> {
      calls.push_back(argv);
      return answer;
    };
  }
};

}  // namespace deepdock::testing
