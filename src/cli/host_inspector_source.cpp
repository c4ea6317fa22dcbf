#include "cli/host_inspector_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "adapters/host/local_host_inspector.hpp"
#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

// PATH, plus the directories sudo and system services search (dockerd finds the toolkit
// there even when the user's PATH lacks them).
std::vector<std::string> search_dirs() {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe)
  std::vector<std::string> dirs;
  for (auto& dir : util::split(path == nullptr ? "" : path, ':')) {
    if (!dir.empty() && dir.front() == '/') {
      dirs.push_back(std::move(dir));
    }
  }
  for (const char* system :
       {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
    if (std::find(dirs.begin(), dirs.end(), system) == dirs.end()) {
      dirs.emplace_back(system);
    }
  }
  return dirs;
}

}  // namespace

std::unique_ptr<core::HostInspector> local_host_inspector() {
  const char* root = std::getenv("DEEPDOCK_HOST_ROOT");  // NOLINT(concurrency-mt-unsafe)
  if (root == nullptr || std::string_view(root).empty() || std::string_view(root) == "/") {
    return std::make_unique<adapters::host::LocalHostInspector>("/", search_dirs());
  }
  // Another root's nvidia-smi cannot run here: facts come from its files alone.
  return std::make_unique<adapters::host::LocalHostInspector>(
      root, search_dirs(),
      [](const std::vector<std::string>& argv) -> Result<adapters::host::ProcessResult> {
        return fail(ErrorCode::kNotFound,
                    fmt::format("{} is not run under DEEPDOCK_HOST_ROOT", argv.front()));
      });
}

}  // namespace deepdock::cli
