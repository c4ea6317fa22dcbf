#pragma once
// FakeCloudCompute: Compute Engine in memory. Zones, regions with quotas, the project's
// quotas, accelerator offers and machine types are plain data; instances and operations
// live in maps. An operation is DONE after `waits_to_complete` calls of wait_operation (or
// settle()). Faults: stockouts and regional quotas per zone/region (the insert's
// operation ends with the error), refusals answered at once, a failure of any call by its
// index (before it acts, or after it acted with the answer lost), and Compute's refusal of
// every call while cancellation is requested, as the real transport does. Every call is
// counted and logged.

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/gcp/instance_spec.hpp"
#include "core/ports/cloud_compute.hpp"
#include "util/cancel.hpp"

namespace deepdock::testing {

class FakeCloudCompute : public core::CloudCompute {
 public:
  // The world.
  std::vector<core::CloudZone> zones;
  std::map<std::string, core::CloudRegion> regions;
  std::vector<core::CloudQuota> project_quota_list;
  std::vector<core::CloudAcceleratorOffer> offers;
  std::map<std::string, core::CloudMachineType> machine_types;  // by name, in every zone
  std::map<std::string, core::CloudInstance> instances;         // by "zone/name"

  // Faults.
  std::set<std::string> stockout_zones;  // insert and start end ZONE_RESOURCE_POOL_EXHAUSTED
  std::set<std::string> quota_regions;   // insert ends QUOTA_EXCEEDED for the GPU metric
  std::map<std::string, core::CloudFailure> refuse_insert;  // zone -> DONE-at-once refusal
  std::set<int> fail_before;      // call indices (0-based) that fail without acting
  std::set<int> lose_reply;       // call indices that act, then fail as if the answer was lost
  std::set<int> fail_delete_ops;  // call indices of delete_instance whose operation fails
  std::function<void(int index, const std::string& method)> on_call;  // e.g. request_cancel
  int waits_to_complete = 1;
  bool instance_visible_at_once = true;  // false: a created VM appears when its insert ends
  bool refuse_while_cancelled = true;

  // What happened.
  std::vector<std::string> calls;  // "insert_instance us-west1-b deepdock-x"
  std::map<std::string, int> call_counts;
  std::vector<core::CloudInstanceSpec> inserted;  // every accepted insert's spec

  // Ends every pending operation, as Compute would in time.
  void settle() {
    for (auto& [name, pending] : operations_) {
      while (!pending.operation.done()) {
        advance(pending);
      }
    }
  }

  void add_zone(const std::string& zone, const std::string& region, const std::string& accelerator,
                int max_per_instance = 8) {
    zones.push_back({zone, region, true});
    regions[region].name = region;
    regions[region].zones.push_back(zone);
    offers.push_back({zone, accelerator, accelerator, max_per_instance});
  }

  void set_region_quota(const std::string& region, const std::string& metric, double limit,
                        double usage = 0) {
    regions[region].name = region;
    regions[region].quotas.push_back({metric, limit, usage});
  }

  static std::string key(const std::string& zone, const std::string& name) {
    return zone + "/" + name;
  }

  Result<std::vector<core::CloudZone>> list_zones(const std::string& /*project*/) override {
    TRY(enter("list_zones", ""));
    return zones;
  }
  Result<core::CloudRegion> get_region(const std::string& /*project*/,
                                       const std::string& region) override {
    TRY(enter("get_region", region));
    const auto it = regions.find(region);
    if (it == regions.end()) {
      return fail(ErrorCode::kNotFound, fmt::format("region {} was not found", region));
    }
    return it->second;
  }
  Result<std::vector<core::CloudQuota>> project_quotas(const std::string& /*project*/) override {
    TRY(enter("project_quotas", ""));
    return project_quota_list;
  }
  Result<std::vector<core::CloudAcceleratorOffer>> accelerator_offers(
      const std::string& /*project*/, const std::string& accelerator) override {
    TRY(enter("accelerator_offers", accelerator));
    std::vector<core::CloudAcceleratorOffer> matching;
    for (const auto& offer : offers) {
      if (offer.name == accelerator) {
        matching.push_back(offer);
      }
    }
    return matching;
  }
  Result<core::CloudMachineType> get_machine_type(const std::string& /*project*/,
                                                  const std::string& zone,
                                                  const std::string& name) override {
    TRY(enter("get_machine_type", zone + " " + name));
    const auto it = machine_types.find(name);
    if (it == machine_types.end()) {
      return fail(ErrorCode::kNotFound, fmt::format("machine type {} was not found", name));
    }
    core::CloudMachineType type = it->second;
    type.zone = zone;
    return type;
  }

  Result<core::CloudOperation> insert_instance(const std::string& project,
                                               const core::CloudInstanceSpec& spec,
                                               const std::string& request_id) override {
    const int index = next_index_;
    TRY(enter("insert_instance", spec.zone + " " + spec.name));
    if (const auto seen = by_request_.find(request_id); seen != by_request_.end()) {
      return answer(index, operations_.at(seen->second).operation);
    }
    if (const auto refusal = refuse_insert.find(spec.zone); refusal != refuse_insert.end()) {
      core::CloudOperation refused = new_operation(spec.zone, "insert", spec.name);
      refused.status = "DONE";
      refused.error = refusal->second;
      return answer(index, refused);
    }
    if (instances.contains(key(spec.zone, spec.name)) ||
        creating_.contains(key(spec.zone, spec.name))) {
      return answer(index, fail(ErrorCode::kConflict,
                                fmt::format("The resource 'projects/{}/zones/{}/instances/{}' "
                                            "already exists",
                                            project, spec.zone, spec.name)));
    }
    inserted.push_back(spec);
    Pending pending;
    pending.operation = new_operation(spec.zone, "insert", spec.name);
    const std::string region = region_of(spec.zone);
    if (stockout_zones.contains(spec.zone)) {
      pending.failure = core::CloudFailure{
          "ZONE_RESOURCE_POOL_EXHAUSTED",
          fmt::format("The zone 'projects/{}/zones/{}' does not have enough resources available "
                      "to fulfill the request.  Try a different zone, or try again later.",
                      project, spec.zone),
          503};
    } else if (quota_regions.contains(region)) {
      pending.failure = core::CloudFailure{
          "QUOTA_EXCEEDED",
          fmt::format("Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region {}.", region), 403};
    } else {
      pending.instance = instance_from(spec);
      if (instance_visible_at_once) {
        instances[key(spec.zone, spec.name)] = *pending.instance;
      } else {
        creating_.insert(key(spec.zone, spec.name));
      }
    }
    by_request_[request_id] = pending.operation.name;
    operations_[pending.operation.name] = pending;
    return answer(index, pending.operation);
  }

  Result<std::optional<core::CloudInstance>> get_instance(const std::string& /*project*/,
                                                          const std::string& zone,
                                                          const std::string& name) override {
    TRY(enter("get_instance", zone + " " + name));
    const auto it = instances.find(key(zone, name));
    return it == instances.end() ? std::optional<core::CloudInstance>{} : std::optional{it->second};
  }

  Result<std::vector<core::CloudInstance>> list_instances(
      const std::string& /*project*/, const std::map<std::string, std::string>& labels) override {
    TRY(enter("list_instances", ""));
    std::vector<core::CloudInstance> found;
    for (const auto& [where, instance] : instances) {
      bool all = true;
      for (const auto& [label, value] : labels) {
        const auto it = instance.labels.find(label);
        all = all && it != instance.labels.end() && it->second == value;
      }
      if (all) {
        found.push_back(instance);
      }
    }
    return found;
  }

  Result<core::CloudOperation> delete_instance(const std::string& project, const std::string& zone,
                                               const std::string& name,
                                               const std::string& request_id) override {
    const int index = next_index_;
    TRY(enter("delete_instance", zone + " " + name));
    if (const auto seen = by_request_.find(request_id); seen != by_request_.end()) {
      return answer(index, operations_.at(seen->second).operation);
    }
    const auto it = instances.find(key(zone, name));
    if (it == instances.end()) {
      return answer(index, fail(ErrorCode::kNotFound,
                                fmt::format("The resource 'projects/{}/zones/{}/instances/{}' was "
                                            "not found",
                                            project, zone, name)));
    }
    it->second.status = "STOPPING";
    Pending pending;
    pending.operation = new_operation(zone, "delete", name);
    if (fail_delete_ops.contains(index)) {
      pending.failure = core::CloudFailure{"RESOURCE_NOT_READY", "The resource is not ready", 400};
    } else {
      pending.remove = true;
    }
    by_request_[request_id] = pending.operation.name;
    operations_[pending.operation.name] = pending;
    return answer(index, pending.operation);
  }

  Result<core::CloudOperation> stop_instance(const std::string& /*project*/,
                                             const std::string& zone, const std::string& name,
                                             const std::string& /*request_id*/) override {
    const int index = next_index_;
    TRY(enter("stop_instance", zone + " " + name));
    const auto it = instances.find(key(zone, name));
    if (it == instances.end()) {
      return fail(ErrorCode::kNotFound, fmt::format("instance {} was not found", name));
    }
    it->second.status = "STOPPING";
    Pending pending;
    pending.operation = new_operation(zone, "stop", name);
    pending.final_status = "TERMINATED";
    operations_[pending.operation.name] = pending;
    return answer(index, pending.operation);
  }

  Result<core::CloudOperation> start_instance(const std::string& /*project*/,
                                              const std::string& zone, const std::string& name,
                                              const std::string& /*request_id*/) override {
    const int index = next_index_;
    TRY(enter("start_instance", zone + " " + name));
    const auto it = instances.find(key(zone, name));
    if (it == instances.end()) {
      return fail(ErrorCode::kNotFound, fmt::format("instance {} was not found", name));
    }
    Pending pending;
    pending.operation = new_operation(zone, "start", name);
    if (stockout_zones.contains(zone)) {
      pending.failure = core::CloudFailure{
          "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS",
          fmt::format("The zone 'projects/p/zones/{}' does not have enough resources available "
                      "to fulfill the request.  '(resource type:compute)'.",
                      zone),
          503};
    } else {
      it->second.status = "STAGING";
      pending.final_status = "RUNNING";
    }
    operations_[pending.operation.name] = pending;
    return answer(index, pending.operation);
  }

  Result<core::CloudOperation> wait_operation(const std::string& /*project*/,
                                              const std::string& /*zone*/,
                                              const std::string& operation) override {
    const int index = next_index_;
    TRY(enter("wait_operation", operation));
    const auto it = operations_.find(operation);
    if (it == operations_.end()) {
      return fail(ErrorCode::kNotFound, fmt::format("operation {} was not found", operation));
    }
    if (!it->second.operation.done()) {
      advance(it->second);
    }
    return answer(index, it->second.operation);
  }

  std::map<int64_t, std::string> serial_chunks;  // start offset -> contents (fed in order)
  int64_t serial_buffer_start = 0;               // bytes before this were lost

  Result<core::CloudSerialOutput> serial_output(const std::string& /*project*/,
                                                const std::string& zone, const std::string& name,
                                                int64_t start) override {
    TRY(enter("serial_output", zone + " " + name));
    core::CloudSerialOutput output;
    output.start = std::max(start, serial_buffer_start);
    output.next = output.start;
    for (const auto& [offset, text] : serial_chunks) {
      const int64_t end = offset + static_cast<int64_t>(text.size());
      if (end > output.next && offset <= output.next) {
        output.contents += text.substr(static_cast<size_t>(output.next - offset));
        output.next = end;
      }
    }
    return output;
  }

  // Appends console output.
  void append_serial(const std::string& text) {
    int64_t end = 0;
    if (!serial_chunks.empty()) {
      const auto& last = *serial_chunks.rbegin();
      end = last.first + static_cast<int64_t>(last.second.size());
    }
    serial_chunks[end] = text;
  }

  [[nodiscard]] int count(const std::string& method) const {
    const auto it = call_counts.find(method);
    return it == call_counts.end() ? 0 : it->second;
  }
  [[nodiscard]] int total_calls() const { return next_index_; }

 private:
  struct Pending {
    core::CloudOperation operation;
    int waits = 0;
    std::optional<core::CloudFailure> failure;
    std::optional<core::CloudInstance> instance;  // created when the insert ends (if not yet)
    std::string final_status;                     // stop/start
    bool remove = false;                          // delete
  };

  Status enter(const std::string& method, const std::string& what) {
    const int index = next_index_++;
    calls.push_back(what.empty() ? method : method + " " + what);
    ++call_counts[method];
    if (on_call) {
      on_call(index, method);
    }
    if (refuse_while_cancelled && util::cancel_requested()) {
      return fail(ErrorCode::kCancelled, fmt::format("{} cancelled", method));
    }
    if (fail_before.contains(index)) {
      return fail(ErrorCode::kUnavailable, fmt::format("{}: injected transport failure", method));
    }
    return {};
  }

  Result<core::CloudOperation> answer(int index, Result<core::CloudOperation> value) {
    if (lose_reply.contains(index)) {
      return fail(ErrorCode::kUnavailable, "the answer was lost (injected)");
    }
    return value;
  }

  core::CloudOperation new_operation(const std::string& zone, const std::string& type,
                                     const std::string& target) {
    core::CloudOperation operation;
    operation.name = fmt::format("operation-{}", ++operation_counter_);
    operation.zone = zone;
    operation.operation_type = type;
    operation.target = target;
    operation.status = "RUNNING";
    return operation;
  }

  static std::string region_of(const std::string& zone) { return zone.substr(0, zone.rfind('-')); }

  static core::CloudInstance instance_from(const core::CloudInstanceSpec& spec) {
    core::CloudInstance instance;
    instance.name = spec.name;
    instance.zone = spec.zone;
    instance.status = "PROVISIONING";
    instance.machine_type = spec.machine_type;
    instance.accelerator = spec.accelerator;
    instance.accelerator_count = spec.accelerator_count;
    instance.spot = spec.spot;
    instance.labels = spec.labels;
    instance.metadata = spec.metadata;
    return instance;
  }

  void advance(Pending& pending) {
    if (++pending.waits < waits_to_complete) {
      pending.operation.progress = 50;
      return;
    }
    core::CloudOperation& operation = pending.operation;
    operation.status = "DONE";
    operation.progress = 100;
    const std::string where = key(operation.zone, operation.target);
    if (pending.failure) {
      operation.error = pending.failure;
      if (operation.operation_type == "delete" && instances.contains(where)) {
        instances[where].status = "RUNNING";
      }
      return;
    }
    if (operation.operation_type == "insert") {
      const bool pending_create = creating_.erase(where) > 0;
      if (pending_create && pending.instance) {
        instances[where] = *pending.instance;
      }
      if (instances.contains(where) && instances[where].status == "PROVISIONING") {
        instances[where].status = "RUNNING";
        instances[where].external_ip = "203.0.113.10";
      }
    } else if (pending.remove) {
      instances.erase(where);
    } else if (!pending.final_status.empty() && instances.contains(where)) {
      instances[where].status = pending.final_status;
      instances[where].external_ip = pending.final_status == "RUNNING" ? "203.0.113.11" : "";
    }
  }

  std::map<std::string, Pending> operations_;
  std::map<std::string, std::string> by_request_;  // request id -> operation
  std::set<std::string> creating_;                 // zone/name of invisible pending creates
  int next_index_ = 0;
  int operation_counter_ = 0;
};

}  // namespace deepdock::testing
