#include "app/idle_signals.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include "util/strings.hpp"

namespace deepdock::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEstablished = "01";

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < line.size()) {
    const size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) {
      break;
    }
    const size_t end = std::min(line.find_first_of(" \t", start), line.size());
    out.push_back(line.substr(start, end - start));
    at = end;
  }
  return out;
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text, int base = 10) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Where the CPU accounting lives, and how a cgroup's usage is read there.
struct Hierarchy {
  std::string name;  // "cgroup v2", "cgroup v1 cpuacct"; "" = none
  fs::path base;
  bool v2 = false;
};

Hierarchy find_hierarchy(const fs::path& root) {
  const fs::path cgroup = root / "sys/fs/cgroup";
  std::error_code ec;
  if (fs::exists(cgroup / "cgroup.controllers", ec)) {
    return {.name = "cgroup v2", .base = cgroup, .v2 = true};
  }
  for (const char* name : {"cpuacct", "cpu,cpuacct"}) {
    if (fs::is_directory(cgroup / name, ec)) {
      return {.name = "cgroup v1 cpuacct", .base = cgroup / name};
    }
  }
  return {};
}

// usage_usec of cpu.stat (v2), or cpuacct.usage in nanoseconds (v1).
std::optional<uint64_t> usage_usec(const Hierarchy& hierarchy, const fs::path& group) {
  if (hierarchy.v2) {
    const auto text = read_text(group / "cpu.stat");
    if (!text) {
      return std::nullopt;
    }
    for (const std::string& line : util::split(*text, '\n')) {
      const auto parts = fields(line);
      if (parts.size() == 2 && parts[0] == "usage_usec") {
        return parse_number<uint64_t>(parts[1]);
      }
    }
    return std::nullopt;
  }
  const auto text = read_text(group / "cpuacct.usage");
  if (!text) {
    return std::nullopt;
  }
  const auto nanoseconds = parse_number<uint64_t>(util::trim(*text));
  return nanoseconds ? std::optional<uint64_t>(*nanoseconds / 1000) : std::nullopt;
}

void add_usage(const Hierarchy& hierarchy, const std::string& relative, CpuUsage& usage) {
  if (const auto usec = usage_usec(hierarchy, hierarchy.base / relative)) {
    usage.usec_by_cgroup[relative] = *usec;
  }
}

// The names of the directories in `dir`; none when it is absent. Cgroups come and go while
// they are listed: an error ends the listing rather than throwing.
std::vector<std::string> subdirectories(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  return names;
}

bool is_container_scope(const std::string& name) {
  const bool engine = name.starts_with("docker-") || name.starts_with("libpod-");
  // Podman's conmon (the container's monitor) has a scope of its own: not the container.
  return engine && name.ends_with(".scope") && name.find("conmon") == std::string::npos;
}

}  // namespace

void count_established(std::string_view table, const std::vector<uint16_t>& ports,
                       ConnectionCounts& counts) {
  for (const std::string& line : util::split(table, '\n')) {
    // "  0: 0100007F:22B8 0100007F:D3A4 01 ...": the local address is hex IP:port.
    const auto parts = fields(line);
    if (parts.size() < 4 || parts[3] != kEstablished) {
      continue;
    }
    const size_t colon = parts[1].rfind(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    const auto port = parse_number<uint16_t>(parts[1].substr(colon + 1), 16);
    if (port && std::find(ports.begin(), ports.end(), *port) != ports.end()) {
      ++counts[*port];
    }
  }
}

std::optional<ConnectionCounts> established_connections(const fs::path& root,
                                                        const std::vector<uint16_t>& ports) {
  ConnectionCounts counts;
  bool read_any = false;
  for (const char* table : {"proc/net/tcp", "proc/net/tcp6"}) {
    if (const auto text = read_text(root / table)) {
      read_any = true;
      count_established(*text, ports, counts);
    }
  }
  return read_any ? std::optional(counts) : std::nullopt;
}

CpuUsage container_cpu_usage(const fs::path& root) {
  const Hierarchy hierarchy = find_hierarchy(root);
  CpuUsage usage{.hierarchy = hierarchy.name, .usec_by_cgroup = {}};
  if (hierarchy.name.empty()) {
    return usage;
  }
  for (const char* slice : {"system.slice", "machine.slice"}) {
    for (const std::string& name : subdirectories(hierarchy.base / slice)) {
      if (is_container_scope(name)) {
        add_usage(hierarchy, std::string(slice) + "/" + name, usage);
      }
    }
  }
  // The cgroupfs driver: one directory per container under docker/.
  for (const std::string& name : subdirectories(hierarchy.base / "docker")) {
    add_usage(hierarchy, "docker/" + name, usage);
  }
  return usage;
}

CpuUsage user_cpu_usage(const fs::path& root) {
  const Hierarchy hierarchy = find_hierarchy(root);
  CpuUsage usage{.hierarchy = hierarchy.name, .usec_by_cgroup = {}};
  if (!hierarchy.name.empty()) {
    add_usage(hierarchy, "user.slice", usage);
  }
  return usage;
}

std::string read_boot_id(const fs::path& root) {
  const auto text = read_text(root / "proc/sys/kernel/random/boot_id");
  return text ? std::string(util::trim(*text)) : std::string();
}

}  // namespace deepdock::app
