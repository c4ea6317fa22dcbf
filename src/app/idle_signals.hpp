#pragma once
// The readings of the host that tell whether anyone uses it, for the idle check
// (app/idle_monitor), each read below a root ("/" on the host, a fixture tree in tests):
//  - TCP connections: the established ones (state 01) by local port, from
//    <root>/proc/net/tcp and tcp6 (Jupyter and TensorBoard reached through a tunnel, SSH);
//  - CPU time: the cumulative usage of the containers' cgroups and of user.slice (a job
//    left running after logout), from cgroup v2's cpu.stat (usage_usec) or, on cgroup v1
//    hosts (Ubuntu 18.04, 20.04), the cpuacct hierarchy's cpuacct.usage (nanoseconds);
//  - the boot id, which tells a new boot from the one the last check saw.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::app {

// Established connections by local port, only for `ports` (a port with none is absent).
using ConnectionCounts = std::map<uint16_t, int>;

// Adds the established connections of one /proc/net/tcp or tcp6 table to `counts`.
void count_established(std::string_view table, const std::vector<uint16_t>& ports,
                       ConnectionCounts& counts);

// Both tables below `root`; nullopt when neither can be read (the reading is unknown).
std::optional<ConnectionCounts> established_connections(const std::filesystem::path& root,
                                                        const std::vector<uint16_t>& ports);

// Cumulative CPU time in microseconds by cgroup, keyed by the path below the hierarchy
// ("system.slice/docker-<id>.scope"); `hierarchy` names where it was read ("cgroup v2",
// "cgroup v1 cpuacct"), empty when the host has neither.
struct CpuUsage {
  std::string hierarchy;
  std::map<std::string, uint64_t> usec_by_cgroup;
};

// Every container of the engine (Docker's docker-<id>.scope under system.slice with the
// systemd cgroup driver, docker/<id> with cgroupfs, Podman's libpod-<id>.scope under
// machine.slice): a job in any container on the VM is work, deepdock's or not.
CpuUsage container_cpu_usage(const std::filesystem::path& root);

// user.slice: the processes of users' sessions, and what they left running after logout.
CpuUsage user_cpu_usage(const std::filesystem::path& root);

// <root>/proc/sys/kernel/random/boot_id, trimmed; "" when it cannot be read.
std::string read_boot_id(const std::filesystem::path& root);

}  // namespace deepdock::app
