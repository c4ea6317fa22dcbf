#pragma once
// The in-memory project: instances and operations of every zone, and how they move on
// with time. Operations go PENDING → RUNNING → DONE after the scenario's delay; the
// instance meanwhile goes PROVISIONING → STAGING → RUNNING (insert, start), STOPPING →
// TERMINATED (stop) or STOPPING → gone (delete), as api-reference A.11 says. A ticker
// calls advance(); an instance reaching RUNNING is first realized when a Realizer is set.
// Changes that carry a requestId are done once: a repeat answers the first one's operation.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compute_list.hpp"
#include "google_errors.hpp"
#include "quota.hpp"
#include "realize.hpp"
#include "scenario.hpp"

namespace deepdock::gcpemu {

using Clock = std::chrono::steady_clock;

struct Instance {
  std::string name;
  std::string zone;
  uint64_t id = 0;
  nlohmann::json resource;  // the insert body, normalized; rendered with output fields
  std::string status;       // PROVISIONING, STAGING, RUNNING, STOPPING, TERMINATED
  std::string machine_type;
  Demand demand;
  std::string nat_ip;
  std::string serial;  // scenario lines, appended when RUNNING
  std::string created;
  int fingerprint = 1;
  std::filesystem::path dir;
};

struct Operation {
  std::string name;
  std::string zone;
  std::string type;  // insert, delete, start, stop, setMetadata
  std::string target;
  uint64_t id = 0;
  uint64_t target_id = 0;
  std::string status = "PENDING";
  Clock::time_point started;
  int64_t delay_ms = 0;
  std::string insert_time;
  std::string end_time;
  std::optional<OperationError> error;  // decided at the request, shown once DONE
  bool realizing = false;
};

// What a route answers: a status and a JSON body.
struct Reply {
  int status = 200;
  nlohmann::json body;
};

class ComputeState {
 public:
  ComputeState(const Scenario& scenario, Realizer realizer, std::filesystem::path work_dir);

  // `request_id`: the ?requestId (empty: none).
  Reply insert(const std::string& base, const std::string& zone, const nlohmann::json& body,
               const std::string& request_id);
  Reply get_instance(const std::string& base, const std::string& zone, const std::string& name);
  Reply list_instances(const std::string& base, const std::string& zone, const ListQuery& query);
  Reply aggregated_instances(const std::string& base, const ListQuery& query);
  Reply remove(const std::string& base, const std::string& zone, const std::string& name,
               const std::string& request_id);
  Reply stop(const std::string& base, const std::string& zone, const std::string& name,
             const std::string& request_id);
  Reply start(const std::string& base, const std::string& zone, const std::string& name,
              const std::string& request_id);
  Reply set_metadata(const std::string& base, const std::string& zone, const std::string& name,
                     const nlohmann::json& metadata);
  Reply serial_port(const std::string& base, const std::string& zone, const std::string& name,
                    int64_t start);
  Reply get_operation(const std::string& base, const std::string& zone, const std::string& name);
  // Returns when the operation is DONE or after `deadline` (Google: about 2 minutes).
  Reply wait_operation(const std::string& base, const std::string& zone, const std::string& name,
                       std::chrono::milliseconds deadline);

  nlohmann::json region_quotas(const std::string& region);
  nlohmann::json project_quotas();

  // Moves operations on; returns the realize jobs to run (outside the lock, then finish()).
  std::vector<RealizeJob> advance();
  void finish(const RealizeJob& job, const RealizeResult& result);
  [[nodiscard]] const Realizer& realizer() const { return realizer_; }

 private:
  // Under the lock; remembers the operation under `request_id` when there is one.
  Reply start_operation(const std::string& base, const std::string& zone, const std::string& type,
                        const std::string& target, uint64_t target_id,
                        std::optional<OperationError> error, const std::string& request_id);
  // The operation a change with this requestId already started, if any (takes the lock).
  std::optional<Reply> repeated(const std::string& base, const std::string& request_id);
  Reply stopping(const std::string& base, const std::string& zone, const std::string& name,
                 const std::string& type, const std::string& request_id);
  void complete(Operation& op);  // the operation's effect, under the lock
  std::optional<OperationError> take_stockout(const std::string& zone);
  std::vector<Demand> held_demands() const;
  Instance* find(const std::string& zone, const std::string& name);
  // Under the lock: `act` on the instance, or its 404.
  Reply with_instance(const std::string& zone, const std::string& name,
                      const std::function<Reply(Instance&)>& act);
  int64_t delay_for(const std::string& zone, const std::string& type) const;
  nlohmann::json render(const std::string& base, const Instance& instance) const;
  nlohmann::json render(const std::string& base, const Operation& op) const;
  RealizeJob job_for(const Operation& op, const Instance& instance, bool up) const;

  const Scenario& scenario_;
  QuotaBook quotas_;
  Realizer realizer_;
  std::filesystem::path work_dir_;
  std::map<std::string, int> stockouts_left_;  // zone → failing creations to come
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Instance> instances_;    // "zone/name"
  std::map<std::string, Operation> operations_;  // "zone/name"
  std::map<std::string, std::string> requests_;  // requestId → "zone/name" of its operation
  uint64_t next_id_ = 4'518'000'000'000'000'000ULL;
};

}  // namespace deepdock::gcpemu
