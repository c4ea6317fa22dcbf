// The nested sections of the spec: ports and target (with target.gcp).

#include <fmt/format.h>

#include <set>

#include "core/spec/spec_sections.hpp"
#include "core/spec/spec_values.hpp"

namespace deepdock::core::spec_sections {
namespace {

using spec_reader::assign;
using spec_reader::Entry;
using spec_reader::Reader;

constexpr std::array<std::pair<std::string_view, TargetKind>, 3> kTargetKinds = {{
    {"local", TargetKind::kLocal},
    {"ssh", TargetKind::kSsh},
    {"gcp", TargetKind::kGcp},
}};

constexpr int kMaxPort = 65535;
constexpr int kMaxGpus = 16;
constexpr int kMinDiskGb = 10;
constexpr int kMaxDiskGb = 65536;

void read_zones(Reader& reader, const Entry& entry, std::vector<std::string>& zones) {
  const auto items = reader.text_list(entry);
  if (!items) {
    return;
  }
  std::set<std::string, std::less<>> seen;
  std::vector<std::string> result;
  bool ok = true;
  for (const spec_reader::Item& item : *items) {
    if (spec_values::check_zone(item.text)) {
      reader.check_item(entry, item, spec_values::check_zone);
      ok = false;
    } else if (!seen.insert(item.text).second) {
      reader.problem(
          item.location, entry.path,
          fmt::format("{}: zone {} is listed twice", entry.path, spec_reader::shown(item.text)));
      ok = false;
    }
    result.push_back(item.text);
  }
  if (ok) {
    zones = std::move(result);
  }
}

void read_gcp(Reader& reader, const Entry& section, GcpTarget& gcp) {
  for (const Entry& entry :
       reader.entries(section.value, section.path, section.location, kGcpKeys, kAllPaths)) {
    const std::string_view key = std::string_view(entry.path).substr(section.path.size() + 1);
    if (key == "project") {
      assign(reader.checked_text(entry, spec_values::check_gcp_project), gcp.project);
    } else if (key == "zones") {
      read_zones(reader, entry, gcp.zones);
    } else if (key == "machine_type") {
      assign(reader.checked_text(entry, spec_values::check_gcp_resource_name), gcp.machine_type);
    } else if (key == "accelerator") {
      assign(reader.checked_text(entry, spec_values::check_gcp_resource_name), gcp.accelerator);
    } else if (key == "count") {
      assign(reader.integer(entry, 1, kMaxGpus), gcp.count);
    } else if (key == "disk_gb") {
      assign(reader.integer(entry, kMinDiskGb, kMaxDiskGb), gcp.disk_gb);
    } else if (key == "image_family") {
      assign(reader.checked_text(entry, spec_values::check_gcp_resource_name), gcp.image_family);
    } else if (key == "spot") {
      assign(reader.boolean(entry), gcp.spot);
    } else if (key == "idle_stop_minutes") {
      assign(reader.integer(entry, 0, kMaxIdleStopMinutes), gcp.idle_stop_minutes);
    }
  }
}

// `target: gcp` or `target: ssh://user@host`: the kind (and host) alone.
void read_target_shorthand(Reader& reader, const Entry& entry, Target& target) {
  const std::string& text = entry.value.Scalar();
  if (text.rfind("ssh://", 0) == 0) {
    if (const auto host = reader.checked_text(entry, spec_values::check_ssh_host)) {
      target.kind = TargetKind::kSsh;
      target.host = *host;
      reader.locations["target.kind"] = entry.location;
      reader.locations["target.host"] = entry.location;
    }
    return;
  }
  if (const auto kind = reader.choice<TargetKind>(entry, kTargetKinds)) {
    target.kind = *kind;
    reader.locations["target.kind"] = entry.location;
    return;
  }
  // choice() reported it; add that an ssh URL is accepted here too.
  reader.problems.back().message += ", or ssh://[user@]host[:port]";
}

}  // namespace

void read_ports(Reader& reader, const Entry& section, Ports& ports) {
  for (const Entry& entry :
       reader.entries(section.value, section.path, section.location, kPortKeys, kAllPaths)) {
    const std::optional<int> port = reader.integer(entry, 1, kMaxPort);
    if (!port) {
      continue;
    }
    (entry.path == "ports.jupyter" ? ports.jupyter : ports.tensorboard) =
        static_cast<uint16_t>(*port);
  }
}

void read_target(Reader& reader, const Entry& section, Target& target) {
  if (section.value.IsScalar()) {
    read_target_shorthand(reader, section, target);
    return;
  }
  for (const Entry& entry :
       reader.entries(section.value, section.path, section.location, kTargetKeys, kAllPaths)) {
    if (entry.path == "target.kind") {
      assign(reader.choice<TargetKind>(entry, kTargetKinds), target.kind);
    } else if (entry.path == "target.host") {
      assign(reader.checked_text(entry, spec_values::check_ssh_host), target.host);
    } else if (entry.path == "target.gcp") {
      read_gcp(reader, entry, target.gcp);
    }
  }
}

}  // namespace deepdock::core::spec_sections
