#pragma once
// A host tree for the idle check, written below a temporary root: /proc/net/tcp and tcp6
// with the sockets a test lists, cgroup CPU counters (v2's cpu.stat, v1's cpuacct.usage)
// and the boot id. The idle check (app/idle_monitor) reads it with --root.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace deepdock::testing {

class IdleHostFixture {
 public:
  // TCP states as /proc/net/tcp writes them.
  static constexpr const char* kEstablished = "01";
  static constexpr const char* kTimeWait = "06";
  static constexpr const char* kListen = "0A";
  // The boot id the tree starts with.
  static constexpr const char* kBootId = "3f1c0d8e-1111-4a2b-9c3d-000000000001";

  IdleHostFixture() {
    std::string pattern = ::testing::TempDir() + "/deepdock-idle-XXXXXX";
    root_ = ::mkdtemp(pattern.data()) != nullptr ? std::filesystem::path(pattern)
                                                 : std::filesystem::path();
    set_boot_id(kBootId);
    set_tcp({});
    set_tcp6({});
    write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
  }
  ~IdleHostFixture() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  IdleHostFixture(const IdleHostFixture&) = delete;
  IdleHostFixture& operator=(const IdleHostFixture&) = delete;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

  void write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  void remove(const std::string& relative) const {
    std::error_code ec;
    std::filesystem::remove_all(root_ / relative, ec);
  }

  // One socket line: local port, remote port and state, on 127.0.0.1.
  struct Socket {
    uint16_t local_port = 0;
    uint16_t remote_port = 0;
    std::string state;
  };
  void set_tcp(const std::vector<Socket>& sockets) const {
    std::string text =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n";
    for (size_t i = 0; i < sockets.size(); ++i) {
      text += fmt::format(
          "  {:>2}: 0100007F:{:04X} 0100007F:{:04X} {} 00000000:00000000 00:00000000 "
          "00000000  1000        0 {} 1 0000000000000000 20 4 30 10 -1\n",
          i, sockets[i].local_port, sockets[i].remote_port, sockets[i].state, 40000 + i);
    }
    write("proc/net/tcp", text);
  }
  void set_tcp6(const std::vector<Socket>& sockets) const {
    std::string text =
        "  sl  local_address                         remote_address                        st "
        "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    for (size_t i = 0; i < sockets.size(); ++i) {
      text += fmt::format(
          "  {:>2}: 00000000000000000000000001000000:{:04X} "
          "00000000000000000000000001000000:{:04X} {} 00000000:00000000 00:00000000 "
          "00000000     0        0 {} 1 0000000000000000 20 4 30 10 -1\n",
          i, sockets[i].local_port, sockets[i].remote_port, sockets[i].state, 50000 + i);
    }
    write("proc/net/tcp6", text);
  }

  void set_boot_id(const std::string& id) const {
    write("proc/sys/kernel/random/boot_id", id + "\n");
  }

  // cgroup v2: usage_usec of a cgroup below /sys/fs/cgroup ("system.slice/docker-1.scope").
  void set_cpu_usec(const std::string& cgroup, uint64_t usec) const {
    write("sys/fs/cgroup/" + cgroup + "/cpu.stat",
          fmt::format("usage_usec {}\nuser_usec {}\nsystem_usec {}\n", usec, usec / 2,
                      usec - usec / 2));
  }
  static std::string docker_scope(const std::string& id) {
    return "system.slice/docker-" + id + ".scope";
  }

 private:
  std::filesystem::path root_;
};

}  // namespace deepdock::testing
