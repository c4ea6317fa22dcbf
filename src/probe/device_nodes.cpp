#include "probe/device_nodes.hpp"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace deepdock::probe {
namespace {

bool is_gpu_node(std::string_view name) {
  constexpr std::string_view kPrefix = "nvidia";
  if (name.size() <= kPrefix.size() || name.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  const std::string_view number = name.substr(kPrefix.size());
  return std::all_of(number.begin(), number.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// Sorts nvidia2 before nvidia10.
bool by_number(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

DeviceNodes find_device_nodes(const std::string& root) {
  DeviceNodes nodes;
  const std::string dev = root + "/dev";
  DIR* dir = opendir(dev.c_str());
  if (dir == nullptr) {
    return nodes;
  }
  // readdir is safe here: one stream, one thread.
  while (const dirent* entry = readdir(dir)) {  // NOLINT(concurrency-mt-unsafe)
    const std::string_view name = entry->d_name;
    if (is_gpu_node(name)) {
      nodes.gpus.emplace_back(name);
    } else if (name == "nvidiactl") {
      nodes.control = true;
    } else if (name == "nvidia-uvm") {
      nodes.uvm = true;
    } else if (name == "nvidia-uvm-tools") {
      nodes.uvm_tools = true;
    } else if (name == "nvidia-caps") {
      nodes.caps = true;
    }
  }
  closedir(dir);
  std::sort(nodes.gpus.begin(), nodes.gpus.end(), by_number);
  return nodes;
}

}  // namespace deepdock::probe
