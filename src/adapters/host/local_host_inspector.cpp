#include "adapters/host/local_host_inspector.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::host {
namespace {

namespace fs = std::filesystem;

// A path on the host, below the root: "/etc/cdi" -> <root>/etc/cdi.
fs::path under(const fs::path& root, const fs::path& path) {
  return root / path.relative_path();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    entries.push_back(entry.path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

core::LoadedModules read_modules(const fs::path& root) {
  core::LoadedModules modules;
  std::istringstream in(read_text(root / "proc/modules"));
  std::string line;
  while (std::getline(in, line)) {
    const std::string name = line.substr(0, line.find(' '));
    modules.nouveau = modules.nouveau || name == "nouveau";
    modules.nvidia = modules.nvidia || name == "nvidia";
    modules.nvidia_uvm = modules.nvidia_uvm || name == "nvidia_uvm";
  }
  return modules;
}

// The versions in libnvidia-ml.so.<version> file names ("535.183.01"), without the bare soname
// link libnvidia-ml.so.1.
std::vector<std::string> library_versions(const fs::path& root) {
  static const std::regex kLibrary(R"(libnvidia-ml\.so\.([0-9]+\.[0-9]+(?:\.[0-9]+)?))");
  std::vector<std::string> versions;
  for (const char* dir : {"usr/lib/x86_64-linux-gnu", "usr/lib64", "usr/lib"}) {
    for (const auto& path : sorted_entries(root / dir)) {
      std::smatch match;
      const std::string name = path.filename().string();
      if (std::regex_match(name, match, kLibrary) &&
          std::find(versions.begin(), versions.end(), match[1].str()) == versions.end()) {
        versions.push_back(match[1].str());
      }
    }
  }
  return versions;
}

core::DeviceNodes device_nodes(const fs::path& root) {
  static const std::regex kGpuNode(R"(nvidia[0-9]+)");
  core::DeviceNodes nodes;
  for (const auto& path : sorted_entries(root / "dev")) {
    const std::string name = path.filename().string();
    if (std::regex_match(name, kGpuNode)) {
      nodes.gpus.push_back(name);
    }
  }
  std::error_code ec;
  nodes.nvidiactl = fs::exists(root / "dev/nvidiactl", ec);
  nodes.nvidia_uvm = fs::exists(root / "dev/nvidia-uvm", ec);
  return nodes;
}

// The SecureBoot variable: 4 bytes of attributes, then the value (1 = enabled).
std::optional<bool> secure_boot(const fs::path& root) {
  const std::string data =
      read_text(root / "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
  if (data.size() < 5) {
    return std::nullopt;
  }
  return data[4] == 1;
}

void read_daemon_json(const fs::path& root, core::ToolkitFiles& toolkit) {
  const fs::path path = root / "etc/docker/daemon.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return;
  }
  toolkit.daemon_json = "/etc/docker/daemon.json";
  const auto json = nlohmann::json::parse(read_text(path), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    toolkit.daemon_json_error = "not a JSON object: dockerd refuses to start with it";
    return;
  }
  const auto runtimes = json.find("runtimes");
  toolkit.daemon_json_nvidia =
      runtimes != json.end() && runtimes->is_object() && runtimes->contains("nvidia");
}

std::vector<std::string> cdi_specs(const fs::path& root) {
  static const std::regex kNvidiaKind(R"re("?kind"?\s*:\s*["']?nvidia\.com/gpu)re");
  std::vector<std::string> specs;
  for (const char* dir : {"/etc/cdi", "/var/run/cdi"}) {
    for (const auto& path : sorted_entries(under(root, dir))) {
      const std::string ext = path.extension().string();
      if ((ext == ".yaml" || ext == ".yml" || ext == ".json") &&
          std::regex_search(read_text(path), kNvidiaKind)) {
        specs.push_back((fs::path(dir) / path.filename()).string());
      }
    }
  }
  return specs;
}

std::vector<std::string> toolkit_binaries(const fs::path& root,
                                          const std::vector<std::string>& search_dirs) {
  static constexpr std::array<const char*, 4> kBinaries = {"nvidia-ctk", "nvidia-container-runtime",
                                                           "nvidia-container-runtime-hook",
                                                           "nvidia-container-cli"};
  std::vector<std::string> found;
  for (const char* binary : kBinaries) {
    for (const auto& dir : search_dirs) {
      std::error_code ec;
      const auto status = fs::status(under(root, dir) / binary, ec);
      if (!ec && fs::is_regular_file(status) &&
          (status.permissions() & fs::perms::owner_exec) != fs::perms::none) {
        found.emplace_back(binary);
        break;
      }
    }
  }
  return found;
}

// Free space on the disk that holds `dir`, or its nearest existing parent (the engine may
// not have created it yet).
core::DiskSpace disk_space(const fs::path& root, const std::string& images_dir) {
  core::DiskSpace disk;
  disk.path = images_dir.empty() ? "/var/lib/docker" : images_dir;
  fs::path probe = under(root, disk.path);
  std::error_code ec;
  while (!fs::exists(probe, ec) && probe.has_relative_path() && probe != root) {
    probe = probe.parent_path();
  }
  struct statvfs stats {};
  if (::statvfs(probe.c_str(), &stats) == 0) {
    disk.free_bytes = static_cast<uint64_t>(stats.f_bavail) * stats.f_frsize;
  }
  return disk;
}

}  // namespace

LocalHostInspector::LocalHostInspector(fs::path root, std::vector<std::string> search_dirs,
                                       CommandRunner run)
    : root_(std::move(root)), search_dirs_(std::move(search_dirs)), run_(std::move(run)) {
  if (!run_) {
    run_ = [](const std::vector<std::string>& argv) {
      return run_process(argv, "", std::chrono::seconds(20));
    };
  }
}

core::HostDiagnosisFacts LocalHostInspector::inspect(const std::string& images_dir) {
  core::HostDiagnosisFacts facts;
  facts.root = root_.string();
  // nvidia-smi runs inside the GPU probe; its failure ("Driver/library version mismatch") is
  // a fact here.
  auto recording = [this, &facts](const std::vector<std::string>& argv) {
    auto result = run_(argv);
    if (result && result->exit_code != 0) {
      facts.nvidia_smi_failure = std::string(util::trim(result->stdout_text + result->stderr_text));
    }
    return result;
  };
  auto gpu = LocalGpuProbe(root_, recording).probe();
  if (gpu) {
    facts.gpu = std::move(*gpu);
  } else {
    log::debug("host inspection: gpu probe failed: {}", gpu.error().message);
  }
  facts.modules = read_modules(root_);
  facts.library_versions = library_versions(root_);
  facts.devices = device_nodes(root_);
  facts.secure_boot = secure_boot(root_);
  read_daemon_json(root_, facts.toolkit);
  facts.toolkit.cdi_specs = cdi_specs(root_);
  facts.toolkit.binaries = toolkit_binaries(root_, search_dirs_);
  facts.images_disk = disk_space(root_, images_dir);
  return facts;
}

}  // namespace deepdock::adapters::host
