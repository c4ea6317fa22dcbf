#pragma once
// The spec's keys, level by level, and the readers of its nested sections. Internal to the
// spec parser.

#include <array>
#include <string_view>

#include "core/spec/spec.hpp"
#include "core/spec/spec_reader.hpp"

namespace deepdock::core::spec_sections {

inline constexpr std::array<std::string_view, 17> kTopKeys = {
    "name",   "framework", "version",      "gpu",     "python",      "base",
    "apt",    "pip",       "requirements", "jupyter", "tensorboard", "ports",
    "mounts", "network",   "target",       "build",   "registry"};
inline constexpr std::array<std::string_view, 2> kPortKeys = {"jupyter", "tensorboard"};
inline constexpr std::array<std::string_view, 3> kTargetKeys = {"kind", "host", "gcp"};
inline constexpr std::array<std::string_view, 9> kGcpKeys = {
    "project", "zones",        "machine_type", "accelerator",      "count",
    "disk_gb", "image_family", "spot",         "idle_stop_minutes"};

// Every key as a dotted path, in documentation order.
// clang-format off
inline constexpr std::array<std::string_view, 31> kAllPaths = {
    "name", "framework", "version", "gpu", "python", "base", "apt", "pip", "requirements",
    "jupyter", "tensorboard", "ports", "ports.jupyter", "ports.tensorboard", "mounts", "network",
    "target", "target.kind", "target.host", "target.gcp",
    "target.gcp.project", "target.gcp.zones", "target.gcp.machine_type",
    "target.gcp.accelerator", "target.gcp.count", "target.gcp.disk_gb",
    "target.gcp.image_family", "target.gcp.spot", "target.gcp.idle_stop_minutes",
    "build", "registry"};
// clang-format on

// The longest idle_stop_minutes: a year.
inline constexpr int kMaxIdleStopMinutes = 525'600;

void read_ports(spec_reader::Reader& reader, const spec_reader::Entry& entry, Ports& ports);
void read_target(spec_reader::Reader& reader, const spec_reader::Entry& entry, Target& target);

}  // namespace deepdock::core::spec_sections
