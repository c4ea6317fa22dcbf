#pragma once
// A small Google Cloud for the gcp_* use-case tests: three regions, T4 offered in some of
// their zones, quotas, machine types, and deps whose clock moves only when they sleep.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/gcp_deps.hpp"
#include "app/gcp_plan.hpp"
#include "fakes/fake_cloud_compute.hpp"
#include "fakes/fake_state_store.hpp"
#include "util/cancel.hpp"

namespace deepdock::app::testing {

class RecordingObserver : public GcpObserver {
 public:
  std::vector<std::string> lines;
  std::vector<GcpAttempt> attempts;
  void line(std::string_view text) override { lines.emplace_back(text); }
  void attempt_finished(const GcpAttempt& attempt) override { attempts.push_back(attempt); }
};

// us-central1-{a,b,c}, us-west1-{a,b}, us-east1-{c,d}: T4 everywhere but us-central1-c;
// 4 T4s of quota in every region; 8 GPUs project-wide.
inline void populate_world(deepdock::testing::FakeCloudCompute& cloud) {
  for (const char* zone : {"us-central1-a", "us-central1-b"}) {
    cloud.add_zone(zone, "us-central1", "nvidia-tesla-t4", 4);
  }
  cloud.zones.push_back({"us-central1-c", "us-central1", true});
  cloud.regions["us-central1"].zones.emplace_back("us-central1-c");
  cloud.offers.push_back({"us-central1-c", "nvidia-l4", "NVIDIA L4", 8});
  for (const char* zone : {"us-west1-a", "us-west1-b"}) {
    cloud.add_zone(zone, "us-west1", "nvidia-tesla-t4", 4);
  }
  for (const char* zone : {"us-east1-c", "us-east1-d"}) {
    cloud.add_zone(zone, "us-east1", "nvidia-tesla-t4", 4);
  }
  for (const char* region : {"us-central1", "us-west1", "us-east1"}) {
    cloud.set_region_quota(region, "NVIDIA_T4_GPUS", 4);
    cloud.set_region_quota(region, "PREEMPTIBLE_NVIDIA_T4_GPUS", 8);
    cloud.set_region_quota(region, "CPUS", 72);
  }
  cloud.project_quota_list = {{"GPUS_ALL_REGIONS", 8, 0}, {"CPUS_ALL_REGIONS", 100, 0}};
  cloud.machine_types["n1-standard-4"] = {"n1-standard-4", "", 4, 15360, "", 0};
  cloud.machine_types["n1-standard-8"] = {"n1-standard-8", "", 8, 30720, "", 0};
  cloud.machine_types["g2-standard-4"] = {"g2-standard-4", "", 4, 16384, "nvidia-l4", 1};
}

// Deps whose clock advances only by sleeping, with numbered request ids.
struct TestDeps {
  deepdock::testing::FakeCloudCompute cloud;
  deepdock::testing::FakeStateStore state;
  RecordingObserver observer;
  GcpClock::time_point clock{};
  int request_ids = 0;
  int sleeps = 0;

  GcpDeps deps() {
    return GcpDeps{
        cloud,
        state,
        observer,
        [this] { return clock; },
        [this](std::chrono::milliseconds duration) {
          clock += duration;
          ++sleeps;
          return !util::cancel_requested();
        },
        [this] { return fmt::format("00000000-0000-4000-8000-{:012d}", ++request_ids); }};
  }
};

inline GcpVmRequest t4_request(std::string_view name = "bert") {
  GcpVmRequest request;
  request.env_name = std::string(name);
  request.target.project = "learning-deeply";
  request.target.accelerator = "nvidia-tesla-t4";
  request.target.count = 1;
  request.metadata = {{"startup-script", "#!/bin/bash\necho hi\n"}};
  return request;
}

}  // namespace deepdock::app::testing
