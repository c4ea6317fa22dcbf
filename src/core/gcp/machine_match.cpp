#include "core/gcp/machine_match.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "core/gcp/accelerator_catalog.hpp"

namespace deepdock::core {
namespace {

// Built-in shapes and their GPU counts (Google's accelerator-optimized machine types).
constexpr std::array<std::pair<std::string_view, int>, 20> kBuiltInShapes = {{
    {"g2-standard-4", 1},  {"g2-standard-8", 1},  {"g2-standard-12", 1}, {"g2-standard-16", 1},
    {"g2-standard-32", 1}, {"g2-standard-24", 2}, {"g2-standard-48", 4}, {"g2-standard-96", 8},
    {"a2-highgpu-1g", 1},  {"a2-highgpu-2g", 2},  {"a2-highgpu-4g", 4},  {"a2-highgpu-8g", 8},
    {"a2-ultragpu-1g", 1}, {"a2-ultragpu-2g", 2}, {"a2-ultragpu-4g", 4}, {"a2-ultragpu-8g", 8},
    {"a3-highgpu-1g", 1},  {"a3-highgpu-2g", 2},  {"a3-highgpu-4g", 4},  {"a3-highgpu-8g", 8},
}};

std::string_view family_prefix(MachineFamily family) {
  switch (family) {
    case MachineFamily::kN1:
      return "n1-";
    case MachineFamily::kG2:
      return "g2-standard-";
    case MachineFamily::kA2High:
      return "a2-highgpu-";
    case MachineFamily::kA2Ultra:
      return "a2-ultragpu-";
    case MachineFamily::kA3High:
      return "a3-highgpu-";
  }
  return "";
}

// The shapes of a built-in family that carry `count` GPUs, smallest first.
std::vector<std::string> shapes_for(MachineFamily family, int count) {
  std::vector<std::string> shapes;
  for (const auto& [name, gpus] : kBuiltInShapes) {
    if (gpus == count && name.starts_with(family_prefix(family))) {
      shapes.emplace_back(name);
    }
  }
  return shapes;
}

std::string matched_name(MachineFamily family, int count) {
  if (family == MachineFamily::kN1) {
    return fmt::format("n1-standard-{}", 4 * count);
  }
  if (family == MachineFamily::kG2) {
    // One L4: the 4-vCPU shape; more: the one shape per count.
    return shapes_for(family, count).front();
  }
  return fmt::format("{}{}g", family_prefix(family), count);
}

}  // namespace

bool carries_built_in_gpus(std::string_view machine_type) {
  return machine_type.starts_with("g2-") || machine_type.starts_with("a2-") ||
         machine_type.starts_with("a3-");
}

int built_in_gpu_count(std::string_view machine_type) {
  for (const auto& [name, gpus] : kBuiltInShapes) {
    if (name == machine_type) {
      return gpus;
    }
  }
  return 0;
}

Result<MachineChoice> match_machine_type(std::string_view accelerator, int count,
                                         std::string_view requested) {
  const AcceleratorInfo* info = find_accelerator(accelerator);
  if (info == nullptr) {
    // Not in the catalog: only an explicit N1 type can take it as guestAccelerators.
    if (!requested.empty() && !carries_built_in_gpus(requested)) {
      return MachineChoice{std::string(requested), false, "the spec's machine_type"};
    }
    return fail(ErrorCode::kIncompatible,
                fmt::format("deepdock does not know which machine type carries accelerator {}",
                            accelerator),
                fmt::format("name the machine type in target.gcp.machine_type, or use one of: {}",
                            fmt::join(known_accelerator_types(), ", ")));
  }
  if (std::find(info->counts.begin(), info->counts.end(), count) == info->counts.end()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} comes in counts of {} per VM, not {}", accelerator,
                            fmt::join(info->counts, ", "), count),
                "set target.gcp.count to one of those");
  }
  if (requested.empty()) {
    const bool built_in = info->family != MachineFamily::kN1;
    return MachineChoice{
        matched_name(info->family, count), built_in,
        built_in ? fmt::format("the {} shape that carries {} x {}", to_string(info->family), count,
                               accelerator)
                 : fmt::format("4 vCPUs per GPU on N1 for {} x {}", count, accelerator)};
  }
  const std::string_view prefix = family_prefix(info->family);
  if (info->family == MachineFamily::kN1) {
    if (!requested.starts_with(prefix)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("machine type {} cannot carry {}: it attaches only to N1 types",
                              requested, accelerator),
                  fmt::format("use e.g. {}, or leave target.gcp.machine_type out",
                              matched_name(info->family, count)));
    }
    return MachineChoice{std::string(requested), false, "the spec's machine_type"};
  }
  if (!requested.starts_with(prefix) || built_in_gpu_count(requested) != count) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("machine type {} does not carry {} x {}", requested, count, accelerator),
        fmt::format("use {}, or leave target.gcp.machine_type out",
                    fmt::join(shapes_for(info->family, count), " or ")));
  }
  return MachineChoice{std::string(requested), true, "the spec's machine_type"};
}

int vcpus_of_machine_type(std::string_view machine_type) {
  const size_t dash = machine_type.rfind('-');
  if (dash == std::string_view::npos || dash + 1 >= machine_type.size()) {
    return 0;
  }
  std::string_view count = machine_type.substr(dash + 1);
  int per_unit = 1;
  if (count.back() == 'g') {  // a2-highgpu-4g: GPUs, not vCPUs
    count.remove_suffix(1);
    per_unit = machine_type.starts_with("a3-") ? 26 : machine_type.starts_with("a2-") ? 12 : 0;
  }
  int value = 0;
  for (const char c : count) {
    if (c < '0' || c > '9' || value > 10000) {
      return 0;
    }
    value = value * 10 + (c - '0');
  }
  return value * per_unit;
}

}  // namespace deepdock::core
