#include "adapters/host/local_gpu_probe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) {
    return {};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct PciGpu {
  std::string address;
  std::string device_id;  // "1eb8"
};

std::vector<PciGpu> nvidia_pci_gpus(const fs::path& root) {
  std::vector<PciGpu> gpus;
  const fs::path devices = root / "sys/bus/pci/devices";
  std::error_code ec;
  if (!fs::is_directory(devices, ec)) {
    return gpus;
  }
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(devices, ec)) {
    entries.push_back(entry.path());
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& dir : entries) {
    const std::string vendor = util::to_lower(util::trim(read_text(dir / "vendor")));
    const std::string device_class = util::to_lower(util::trim(read_text(dir / "class")));
    // Display controllers: 0x0300xx (VGA) and 0x0302xx (3D, the data-center GPUs).
    if (vendor != "0x10de" || device_class.rfind("0x03", 0) != 0) {
      continue;
    }
    std::string device = util::to_lower(util::trim(read_text(dir / "device")));
    if (device.rfind("0x", 0) == 0) {
      device = device.substr(2);
    }
    gpus.push_back({dir.filename().string(), device});
  }
  return gpus;
}

// The device's name from pci.ids, where the host has that file.
std::string pci_name(const fs::path& root, const std::string& device_id) {
  for (const char* candidate : {"usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids"}) {
    std::ifstream in(root / candidate);
    if (!in) {
      continue;
    }
    bool in_nvidia = false;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '\t' && line[0] != '#') {
        in_nvidia = line.rfind("10de ", 0) == 0;
        continue;
      }
      if (in_nvidia && line.size() > 7 && line[0] == '\t' && line[1] != '\t' &&
          util::to_lower(line.substr(1, 4)) == device_id) {
        return std::string(util::trim(line.substr(6)));
      }
    }
  }
  return fmt::format("NVIDIA device 10de:{}", device_id);
}

void read_os_release(const fs::path& root, core::HostFacts& facts) {
  std::istringstream in(read_text(root / "etc/os-release"));
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    const std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "ID") {
      facts.os_id = value;
    } else if (key == "VERSION_ID") {
      facts.os_version = value;
    }
  }
}

// Fills names, compute capabilities and memory from nvidia-smi; false when it cannot run.
bool query_nvidia_smi(const CommandRunner& run, core::HostFacts& facts) {
  auto result = run(
      {"nvidia-smi", "--query-gpu=name,compute_cap,memory.total", "--format=csv,noheader,nounits"});
  if (!result || result->exit_code != 0) {
    log::debug("nvidia-smi did not answer: {}",
               result ? result->stderr_text + result->stdout_text : result.error().message);
    return false;
  }
  std::vector<core::GpuFact> gpus;
  std::istringstream in(result->stdout_text);
  std::string line;
  while (std::getline(in, line)) {
    const auto fields = util::split(line, ',');
    if (fields.size() < 3) {
      continue;
    }
    core::GpuFact gpu;
    gpu.name = std::string(util::trim(fields[0]));
    gpu.compute_capability = std::string(util::trim(fields[1]));
    try {
      gpu.memory_mib = std::stoull(std::string(util::trim(fields[2])));
    } catch (const std::exception&) {
      gpu.memory_mib = 0;
    }
    gpus.push_back(std::move(gpu));
  }
  if (gpus.empty()) {
    return false;
  }
  facts.gpus = std::move(gpus);
  return true;
}

}  // namespace

LocalGpuProbe::LocalGpuProbe(std::filesystem::path root, CommandRunner run)
    : root_(std::move(root)), run_(std::move(run)) {
  if (!run_) {
    run_ = [](const std::vector<std::string>& argv) {
      return run_process(argv, "", std::chrono::seconds(20));
    };
  }
}

std::string LocalGpuProbe::parse_module_version(std::string_view proc_version_text) {
  static const std::regex kVersion(
      R"(Kernel Module(?:\s+for\s+\S+)?\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?))");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(proc_version_text.begin(), proc_version_text.end(), match, kVersion)) {
    return match[1].str();
  }
  return {};
}

Result<core::HostFacts> LocalGpuProbe::probe() {
  core::HostFacts facts;
  facts.origin =
      root_ == "/" ? "probed on this machine" : fmt::format("probed below {}", root_.string());
  read_os_release(root_, facts);

  const std::string module = parse_module_version(read_text(root_ / "proc/driver/nvidia/version"));
  if (!module.empty()) {
    facts.driver_version = module;
  }
  const auto pci = nvidia_pci_gpus(root_);
  if (facts.driver_version && query_nvidia_smi(run_, facts)) {
    return facts;
  }
  for (const auto& gpu : pci) {
    facts.gpus.push_back({pci_name(root_, gpu.device_id), "", 0});
  }
  log::debug("gpu probe: {} NVIDIA GPU(s) on PCI, driver {}", pci.size(),
             facts.driver_version.value_or("none"));
  return facts;
}

}  // namespace deepdock::adapters::host
