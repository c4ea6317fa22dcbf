#include "app/idle_signals.hpp"

#include <gtest/gtest.h>

#include "support/idle_host_fixture.hpp"

namespace deepdock::app {
namespace {

using testing::IdleHostFixture;

TEST(IdleSignalsTest, OnlyEstablishedConnectionsOnTheWatchedLocalPortsCount) {
  IdleHostFixture host;
  host.set_tcp(
      {{.local_port = 8888, .remote_port = 0, .state = IdleHostFixture::kListen},
       {.local_port = 8888, .remote_port = 41000, .state = IdleHostFixture::kEstablished},
       {.local_port = 8888, .remote_port = 41001, .state = IdleHostFixture::kEstablished},
       {.local_port = 6006, .remote_port = 41002, .state = IdleHostFixture::kTimeWait},
       {.local_port = 9000, .remote_port = 41003, .state = IdleHostFixture::kEstablished},
       // a client of the port: its local port is an ephemeral one
       {.local_port = 41004, .remote_port = 6006, .state = IdleHostFixture::kEstablished}});
  host.set_tcp6({{.local_port = 22, .remote_port = 50123, .state = IdleHostFixture::kEstablished}});
  const auto counts = established_connections(host.root(), {8888, 6006, 22});
  ASSERT_TRUE(counts);
  EXPECT_EQ(*counts, (ConnectionCounts{{22, 1}, {8888, 2}}));
}

TEST(IdleSignalsTest, AMissingTableIsSkippedAndNoTableAtAllIsUnknown) {
  IdleHostFixture host;
  host.remove("proc/net/tcp6");
  host.set_tcp({{.local_port = 22, .remote_port = 50000, .state = IdleHostFixture::kEstablished}});
  const auto counts = established_connections(host.root(), {22});
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at(22), 1);
  host.remove("proc/net/tcp");
  EXPECT_FALSE(established_connections(host.root(), {22}));
}

TEST(IdleSignalsTest, MalformedLinesAreIgnored) {
  ConnectionCounts counts;
  count_established(
      "garbage\n 0: 0100007F:ZZZZ 00000000:0000 01\n 1: nocolon x 01\n"
      " 2: 0100007F:22B8 00000000:0000 01\n",
      {8888}, counts);
  EXPECT_EQ(counts, (ConnectionCounts{{8888, 1}}));
}

TEST(IdleSignalsTest, CgroupV2ReadsEveryContainerScopeAndNothingElse) {
  IdleHostFixture host;
  host.set_cpu_usec(IdleHostFixture::docker_scope("aaa"), 1500);
  host.set_cpu_usec("system.slice/docker.service", 999);  // the engine itself
  host.set_cpu_usec("system.slice/ssh.service", 777);
  host.set_cpu_usec("machine.slice/libpod-bbb.scope", 2500);
  host.set_cpu_usec("machine.slice/libpod-conmon-bbb.scope", 5);
  host.set_cpu_usec("docker/ccc", 42);  // the cgroupfs driver
  host.set_cpu_usec("user.slice", 9000);
  const CpuUsage containers = container_cpu_usage(host.root());
  EXPECT_EQ(containers.hierarchy, "cgroup v2");
  EXPECT_EQ(containers.usec_by_cgroup,
            (std::map<std::string, uint64_t>{{"system.slice/docker-aaa.scope", 1500},
                                             {"machine.slice/libpod-bbb.scope", 2500},
                                             {"docker/ccc", 42}}));
  const CpuUsage users = user_cpu_usage(host.root());
  EXPECT_EQ(users.usec_by_cgroup, (std::map<std::string, uint64_t>{{"user.slice", 9000}}));
}

TEST(IdleSignalsTest, CgroupV1ReadsCpuacctUsageInNanoseconds) {
  IdleHostFixture host;
  host.remove("sys/fs/cgroup/cgroup.controllers");
  host.write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpuacct.usage", "123456789\n");
  host.write("sys/fs/cgroup/cpu,cpuacct/system.slice/docker-def.scope/cpuacct.usage", "2000\n");
  host.write("sys/fs/cgroup/cpu,cpuacct/user.slice/cpuacct.usage", "5000000\n");
  const CpuUsage containers = container_cpu_usage(host.root());
  EXPECT_EQ(containers.hierarchy, "cgroup v1 cpuacct");
  EXPECT_EQ(containers.usec_by_cgroup,
            (std::map<std::string, uint64_t>{{"docker/abc", 123456},
                                             {"system.slice/docker-def.scope", 2}}));
  EXPECT_EQ(user_cpu_usage(host.root()).usec_by_cgroup.at("user.slice"), 5000U);
}

TEST(IdleSignalsTest, NoCgroupHierarchyIsNamedAsSuch) {
  IdleHostFixture host;
  host.remove("sys");
  EXPECT_EQ(container_cpu_usage(host.root()).hierarchy, "");
  EXPECT_EQ(user_cpu_usage(host.root()).hierarchy, "");
}

TEST(IdleSignalsTest, ACpuStatWithoutUsageIsSkipped) {
  IdleHostFixture host;
  host.write("sys/fs/cgroup/system.slice/docker-x.scope/cpu.stat", "user_usec 5\n");
  EXPECT_TRUE(container_cpu_usage(host.root()).usec_by_cgroup.empty());
}

TEST(IdleSignalsTest, TheBootIdIsTrimmed) {
  IdleHostFixture host;
  host.set_boot_id("abc-def");
  EXPECT_EQ(read_boot_id(host.root()), "abc-def");
  host.remove("proc/sys");
  EXPECT_EQ(read_boot_id(host.root()), "");
}

}  // namespace
}  // namespace deepdock::app
