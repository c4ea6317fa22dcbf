#include "app/idle_monitor.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/fake_state_store.hpp"
#include "support/idle_host_fixture.hpp"

namespace deepdock::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::IdleHostFixture;
using Socket = IdleHostFixture::Socket;

constexpr int64_t kNow = 1'700'000'000;
constexpr const char* kBoot = IdleHostFixture::kBootId;
constexpr const char* kScope = "system.slice/docker-4f2a.scope";

std::chrono::system_clock::time_point at(int64_t epoch_seconds) {
  return std::chrono::system_clock::time_point(seconds(epoch_seconds));
}

class IdleMonitorTest : public ::testing::Test {
 protected:
  IdleSettings settings() const {
    return {.limit = minutes(60), .service_ports = {8888, 6006}, .root = host.root()};
  }
  // The record a check of this boot left: last activity `idle_for` ago, last check a minute
  // ago, with the container's counter at `usec`.
  void recorded(seconds idle_for, uint64_t usec = 5'000'000, const std::string& boot_id = kBoot) {
    store.records[kIdleStateKey] =
        nlohmann::json{{"boot_id", boot_id},
                       {"last_active", kNow - idle_for.count()},
                       {"last_check", kNow - 60},
                       {"cpu_usec", {{kScope, usec}, {"user.slice", 100}}}}
            .dump();
  }
  nlohmann::json record() const { return nlohmann::json::parse(store.records.at(kIdleStateKey)); }
  const IdleSignal& signal(const IdleDecision& decision, const std::string& name) const {
    for (const IdleSignal& s : decision.signals) {
      if (s.name == name) {
        return s;
      }
    }
    throw std::runtime_error("no signal " + name);
  }

  IdleHostFixture host;
  testing::FakeStateStore store;

  void SetUp() override {
    host.set_cpu_usec(kScope, 5'000'000);
    host.set_cpu_usec("user.slice", 100);
    host.set_tcp({{.local_port = 8888, .remote_port = 0, .state = IdleHostFixture::kListen},
                  {.local_port = 22, .remote_port = 0, .state = IdleHostFixture::kListen}});
  }
};

TEST_F(IdleMonitorTest, TheFirstCheckIsNeverIdleAndStartsTheCount) {
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision) << decision.error().message;
  EXPECT_FALSE(decision->idle);
  EXPECT_EQ(decision->idle_for, seconds(0));
  EXPECT_NE(decision->note.find("first check"), std::string::npos);
  EXPECT_EQ(record()["last_active"], kNow);
  EXPECT_EQ(record()["boot_id"], kBoot);
  EXPECT_EQ(record()["cpu_usec"][kScope], 5'000'000);
}

TEST_F(IdleMonitorTest, NoActivityForTheLimitIsIdle) {
  recorded(minutes(61));
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->idle) << idle_decision_text(*decision);
  EXPECT_EQ(decision->idle_for, minutes(61));
  for (const IdleSignal& s : decision->signals) {
    EXPECT_FALSE(s.active) << s.name << ": " << s.seen;
  }
  EXPECT_EQ(record()["last_active"], kNow - int64_t{61} * 60)
      << "the last activity stays where it was";
  EXPECT_NE(idle_decision_text(*decision).find("powering off"), std::string::npos);
}

TEST_F(IdleMonitorTest, NoActivityShorterThanTheLimitIsNotIdleYet) {
  recorded(minutes(59));
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_EQ(decision->idle_for, minutes(59));
  EXPECT_NE(idle_decision_text(*decision).find("idle for 59 min of 60"), std::string::npos)
      << idle_decision_text(*decision);
}

TEST_F(IdleMonitorTest, AConnectionToJupyterIsActivityAndRestartsTheCount) {
  recorded(minutes(120));
  host.set_tcp(
      {{.local_port = 8888, .remote_port = 0, .state = IdleHostFixture::kListen},
       {.local_port = 8888, .remote_port = 45000, .state = IdleHostFixture::kEstablished}});
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "services").active);
  EXPECT_EQ(signal(*decision, "services").seen, "1 connection to port 8888");
  EXPECT_EQ(record()["last_active"], kNow);
}

TEST_F(IdleMonitorTest, AListeningOrClosingSocketIsNotActivity) {
  recorded(minutes(61));
  host.set_tcp({{.local_port = 6006, .remote_port = 0, .state = IdleHostFixture::kListen},
                {.local_port = 6006, .remote_port = 45001, .state = IdleHostFixture::kTimeWait}});
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->idle);
  EXPECT_EQ(signal(*decision, "services").seen, "no connection to ports 8888, 6006");
}

TEST_F(IdleMonitorTest, AnSshConnectionIsActivity) {
  recorded(minutes(61));
  host.set_tcp6({{.local_port = 22, .remote_port = 51000, .state = IdleHostFixture::kEstablished}});
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "ssh").active);
  EXPECT_FALSE(signal(*decision, "services").active);
}

TEST_F(IdleMonitorTest, ContainerCpuAboveTheThresholdIsActivity) {
  recorded(minutes(61), 5'000'000);
  host.set_cpu_usec(kScope, 5'000'000 + 1'800'000);  // 1.8 s in 60 s: 3% of one CPU
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "containers' CPU").active);
  EXPECT_NE(signal(*decision, "containers' CPU").seen.find("3.0% of one CPU over 60 s"),
            std::string::npos)
      << signal(*decision, "containers' CPU").seen;
  EXPECT_EQ(record()["cpu_usec"][kScope], 6'800'000);
}

TEST_F(IdleMonitorTest, ContainerCpuBelowTheThresholdIsNotActivity) {
  recorded(minutes(61), 5'000'000);
  host.set_cpu_usec(kScope, 5'000'000 + 600'000);  // 1% of one CPU
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->idle);
  EXPECT_NE(signal(*decision, "containers' CPU").seen.find("1.0%"), std::string::npos);
}

TEST_F(IdleMonitorTest, AContainerStartedSinceTheLastCheckCountsWithAllItsTime) {
  recorded(minutes(61));
  host.set_cpu_usec(IdleHostFixture::docker_scope("new"), 3'000'000);
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "containers' CPU").active);
}

TEST_F(IdleMonitorTest, AJobLeftRunningByALoggedOutUserIsActivity) {
  recorded(minutes(61));
  host.set_cpu_usec("user.slice", 100 + 60'000'000);  // one full CPU
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "users' CPU").active);
}

TEST_F(IdleMonitorTest, TheThresholdIsASetting) {
  recorded(minutes(61), 5'000'000);
  host.set_cpu_usec(kScope, 5'000'000 + 600'000);  // 1%
  IdleSettings strict = settings();
  strict.cpu_percent = 0.5;
  const auto decision = check_idle(strict, store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
}

TEST_F(IdleMonitorTest, ANewBootStartsTheCountAgain) {
  recorded(minutes(600), 5'000'000, "an-earlier-boot");
  host.set_cpu_usec(kScope, 10);  // the counters of a new boot start low
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_EQ(decision->idle_for, seconds(0));
  EXPECT_NE(decision->note.find("first check of this boot"), std::string::npos);
  EXPECT_EQ(record()["boot_id"], kBoot);
  EXPECT_EQ(record()["last_active"], kNow);
}

TEST_F(IdleMonitorTest, AnUnreadableRecordStartsTheCountAgain) {
  store.records[kIdleStateKey] = "{not json";
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_NE(decision->note.find("unreadable"), std::string::npos);
  EXPECT_EQ(record()["last_active"], kNow);
}

TEST_F(IdleMonitorTest, UnreadableSignalsCountAsActivity) {
  recorded(minutes(61));
  host.remove("proc/net");
  host.remove("sys");
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_TRUE(signal(*decision, "ssh").active);
  EXPECT_NE(signal(*decision, "ssh").seen.find("cannot read"), std::string::npos);
  EXPECT_TRUE(signal(*decision, "containers' CPU").active);
}

TEST_F(IdleMonitorTest, NoRunningContainerIsNotActivity) {
  recorded(minutes(61));
  host.remove("sys/fs/cgroup/system.slice");
  const auto decision = check_idle(settings(), store, at(kNow));
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->idle);
  EXPECT_EQ(signal(*decision, "containers' CPU").seen, "no cgroup to measure");
}

TEST_F(IdleMonitorTest, WithoutRecordingTheStateIsLeftAsItWas) {
  recorded(minutes(61));
  const std::string before = store.records.at(kIdleStateKey);
  host.set_tcp({{.local_port = 22, .remote_port = 51000, .state = IdleHostFixture::kEstablished}});
  const auto decision = check_idle(settings(), store, at(kNow), /*record=*/false);
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_EQ(store.records.at(kIdleStateKey), before);
}

TEST_F(IdleMonitorTest, ChecksAMinuteApartMeasureTheCpuBetweenThem) {
  IdleSettings short_limit = settings();
  short_limit.limit = minutes(2);
  ASSERT_TRUE(check_idle(short_limit, store, at(kNow)));  // the first: the count starts
  host.set_cpu_usec(kScope, 5'000'000 + 30'000'000);      // half a CPU for a minute
  auto second = check_idle(short_limit, store, at(kNow + 60));
  ASSERT_TRUE(second);
  EXPECT_TRUE(signal(*second, "containers' CPU").active);
  auto third = check_idle(short_limit, store, at(kNow + 120));  // nothing since
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->idle);
  EXPECT_EQ(third->idle_for, seconds(60));
  auto fourth = check_idle(short_limit, store, at(kNow + 180));
  ASSERT_TRUE(fourth);
  EXPECT_TRUE(fourth->idle) << idle_decision_text(*fourth);
  EXPECT_EQ(fourth->idle_for, seconds(120));
}

TEST_F(IdleMonitorTest, AClockThatWentBackIsNotIdle) {
  recorded(minutes(61));
  const auto decision = check_idle(settings(), store, at(kNow - 7200));
  ASSERT_TRUE(decision);
  EXPECT_FALSE(decision->idle);
  EXPECT_EQ(decision->idle_for, seconds(0));
}

}  // namespace
}  // namespace deepdock::app
