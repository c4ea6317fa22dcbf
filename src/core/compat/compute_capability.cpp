#include "core/compat/compute_capability.hpp"

#include <fmt/format.h>

#include "core/compat/version.hpp"

namespace deepdock::core {

std::optional<ComputeCapability> ComputeCapability::parse(std::string_view text) {
  const auto version = Version::parse(text);
  if (!version || version->size() != 2 || version->minor() > 9) {
    return std::nullopt;
  }
  return ComputeCapability{version->major(), version->minor()};
}

std::string ComputeCapability::to_string() const {
  return fmt::format("{}.{}", major, minor);
}
std::string ComputeCapability::sm() const {
  return fmt::format("sm_{}{}", major, minor);
}
std::string ComputeCapability::compute() const {
  return fmt::format("compute_{}{}", major, minor);
}

bool sass_runs_on(ComputeCapability kernel, ComputeCapability gpu) {
  return kernel.major == gpu.major && kernel.minor <= gpu.minor;
}

bool ptx_runs_on(ComputeCapability kernel, ComputeCapability gpu) {
  return kernel <= gpu;
}

}  // namespace deepdock::core
