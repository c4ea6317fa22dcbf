#include "compute_state.hpp"

#include <regex>

#include "catalog.hpp"

namespace deepdock::gcpemu {
namespace {

std::string key(const std::string& zone, const std::string& name) {
  return zone + "/" + name;
}

std::string last_segment(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S.000-00:00", &utc);
  return text;
}

Reply invalid(const std::string& message) {
  return {400, legacy_error(400, "invalid", message)};
}

Reply not_found(const std::string& resource) {
  return {404, legacy_error(404, "notFound", "The resource '" + resource + "' was not found")};
}

bool is_spot(const nlohmann::json& scheduling) {
  return scheduling.value("provisioningModel", "") == "SPOT" ||
         scheduling.value("preemptible", false);
}

}  // namespace

ComputeState::ComputeState(const Scenario& scenario, Realizer realizer,
                           std::filesystem::path work_dir)
    : scenario_(scenario),
      quotas_(scenario),
      realizer_(std::move(realizer)),
      work_dir_(std::move(work_dir)) {
  for (const ZoneSpec& zone : scenario.zones) {
    stockouts_left_[zone.name] = zone.stockout;
  }
}

Reply ComputeState::insert(const std::string& base, const std::string& zone,
                           const nlohmann::json& body, const std::string& request_id) {
  if (auto first = repeated(base, request_id)) {
    return *first;
  }
  const std::string p = scenario_.project;
  const ZoneSpec* zone_spec = scenario_.find_zone(zone);
  if (zone_spec == nullptr) {
    return not_found("projects/" + p + "/zones/" + zone);
  }
  const std::string name = body.value("name", "");
  static const std::regex valid_name("[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?");
  if (!std::regex_match(name, valid_name)) {
    return invalid("Invalid value for field 'resource.name': '" + name +
                   "'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
  }
  const std::string machine_type = last_segment(body.value("machineType", ""));
  const auto type = find_machine_type(machine_type);
  if (!type) {
    return not_found("projects/" + p + "/zones/" + zone + "/machineTypes/" + machine_type);
  }
  std::string accelerator;
  int count = 0;
  if (body.contains("guestAccelerators") && !body["guestAccelerators"].empty()) {
    const nlohmann::json& config = body["guestAccelerators"][0];
    accelerator = last_segment(config.value("acceleratorType", ""));
    count = config.value("acceleratorCount", 0);
    const auto& offered = zone_spec->accelerators;
    if (std::find(offered.begin(), offered.end(), accelerator) == offered.end()) {
      return not_found("projects/" + p + "/zones/" + zone + "/acceleratorTypes/" + accelerator);
    }
    if (count < 1 || count > accelerator_info(accelerator).max_per_instance) {
      return invalid("Invalid value for field 'resource.guestAccelerators[0].acceleratorCount': '" +
                     std::to_string(count) + "'. Accelerator count is not valid.");
    }
  }
  const nlohmann::json scheduling = body.value("scheduling", nlohmann::json::object());
  const std::string maintenance = scheduling.value("onHostMaintenance", "MIGRATE");
  if ((count > 0 || type->accelerator_count > 0) && maintenance != "TERMINATE") {
    return invalid("Invalid value for field 'resource.scheduling.onHostMaintenance': '" +
                   maintenance +
                   "'. Instances with guest accelerators do not support live "
                   "migration.");
  }
  const bool spot = is_spot(scheduling);
  if (spot && scheduling.value("automaticRestart", false)) {
    return invalid(
        "Invalid value for field 'resource.scheduling.automaticRestart': 'true'. "
        "Preemptible instances cannot be automatically restarted.");
  }

  std::lock_guard lock(mutex_);
  if (instances_.count(key(zone, name)) != 0) {
    return {409, legacy_error(409, "alreadyExists",
                              "The resource 'projects/" + p + "/zones/" + zone + "/instances/" +
                                  name + "' already exists")};
  }
  const Demand demand = demand_of(zone, machine_type, accelerator, count, spot);
  std::optional<OperationError> error = quotas_.check(demand, held_demands());
  if (error && scenario_.quota_errors == QuotaErrorWhere::kSync) {
    return {403, legacy_error(403, "quotaExceeded", error->message, "usageLimits")};
  }
  if (!error) {
    error = take_stockout(zone);
  }
  if (error) {  // the instance never comes to be (A.11)
    return start_operation(base, zone, "insert", name, next_id_++, error, request_id);
  }
  Instance instance;
  instance.name = name;
  instance.zone = zone;
  instance.id = next_id_++;
  instance.resource = body;
  instance.status = "PROVISIONING";
  instance.machine_type = machine_type;
  instance.demand = demand;
  instance.created = now_rfc3339();
  instance.dir = work_dir_ / (zone + "-" + name);
  const uint64_t id = instance.id;
  instances_[key(zone, name)] = std::move(instance);
  return start_operation(base, zone, "insert", name, id, std::nullopt, request_id);
}

Reply ComputeState::start_operation(const std::string& base, const std::string& zone,
                                    const std::string& type, const std::string& target,
                                    uint64_t target_id, std::optional<OperationError> error,
                                    const std::string& request_id) {
  Operation op;
  op.id = next_id_++;
  op.name = "operation-" +
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()) +
            "-" + std::to_string(op.id % 1'000'000'007ULL);
  op.zone = zone;
  op.type = type;
  op.target = target;
  op.target_id = target_id;
  op.started = Clock::now();
  op.delay_ms = delay_for(zone, type);
  op.insert_time = now_rfc3339();
  op.error = std::move(error);
  const nlohmann::json rendered = render(base, op);
  if (!request_id.empty()) {
    requests_[request_id] = key(zone, op.name);
  }
  operations_[key(zone, op.name)] = std::move(op);
  changed_.notify_all();
  return {200, rendered};
}

std::optional<Reply> ComputeState::repeated(const std::string& base,
                                            const std::string& request_id) {
  if (request_id.empty()) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  const auto known = requests_.find(request_id);
  if (known == requests_.end()) {
    return std::nullopt;
  }
  return Reply{200, render(base, operations_.at(known->second))};
}

std::optional<OperationError> ComputeState::take_stockout(const std::string& zone) {
  int& left = stockouts_left_[zone];
  if (left == 0) {
    return stockout_error(scenario_.project, zone);
  }
  if (left > 0) {
    if (--left == 0) {
      left = -1;  // capacity is back
    }
    return stockout_error(scenario_.project, zone);
  }
  return std::nullopt;
}

std::vector<Demand> ComputeState::held_demands() const {
  std::vector<Demand> held;
  for (const auto& [k, instance] : instances_) {
    if (instance.status != "TERMINATED") {
      held.push_back(instance.demand);
    }
  }
  return held;
}

Reply ComputeState::with_instance(const std::string& zone, const std::string& name,
                                  const std::function<Reply(Instance&)>& act) {
  std::lock_guard lock(mutex_);
  Instance* instance = find(zone, name);
  if (instance == nullptr) {
    return not_found("projects/" + scenario_.project + "/zones/" + zone + "/instances/" + name);
  }
  return act(*instance);
}

Instance* ComputeState::find(const std::string& zone, const std::string& name) {
  const auto found = instances_.find(key(zone, name));
  return found == instances_.end() ? nullptr : &found->second;
}

int64_t ComputeState::delay_for(const std::string& zone, const std::string& type) const {
  for (const SlowOperationSpec& slow : scenario_.slow_operations) {
    if ((slow.zone.empty() || slow.zone == zone) && (slow.type.empty() || slow.type == type)) {
      return slow.delay_ms;
    }
  }
  return scenario_.operation_delay_ms;
}

Reply ComputeState::remove(const std::string& base, const std::string& zone,
                           const std::string& name, const std::string& request_id) {
  return stopping(base, zone, name, "delete", request_id);
}

Reply ComputeState::stop(const std::string& base, const std::string& zone, const std::string& name,
                         const std::string& request_id) {
  return stopping(base, zone, name, "stop", request_id);
}

// Delete and stop: a running instance is STOPPING until the operation is done.
Reply ComputeState::stopping(const std::string& base, const std::string& zone,
                             const std::string& name, const std::string& type,
                             const std::string& request_id) {
  if (auto first = repeated(base, request_id)) {
    return *first;
  }
  return with_instance(zone, name, [&](Instance& instance) -> Reply {
    if (instance.status != "TERMINATED") {
      instance.status = "STOPPING";
    }
    return start_operation(base, zone, type, name, instance.id, std::nullopt, request_id);
  });
}

Reply ComputeState::start(const std::string& base, const std::string& zone, const std::string& name,
                          const std::string& request_id) {
  if (auto first = repeated(base, request_id)) {
    return *first;
  }
  return with_instance(zone, name, [&](Instance& instance) -> Reply {
    if (instance.status != "TERMINATED") {
      return {400, legacy_error(400, "resourceNotReady",
                                "The resource 'projects/" + scenario_.project + "/zones/" + zone +
                                    "/instances/" + name + "' is not ready")};
    }
    std::optional<OperationError> error = quotas_.check(instance.demand, held_demands());
    if (!error) {
      error = take_stockout(zone);
    }
    if (!error) {
      instance.status = "STAGING";
    }
    return start_operation(base, zone, "start", name, instance.id, error, request_id);
  });
}

Reply ComputeState::set_metadata(const std::string& base, const std::string& zone,
                                 const std::string& name, const nlohmann::json& metadata) {
  return with_instance(zone, name, [&](Instance& instance) -> Reply {
    if (metadata.value("fingerprint", "") != "fp-" + std::to_string(instance.fingerprint)) {
      return {412,
              legacy_error(412, "conditionNotMet",
                           "Supplied fingerprint does not match current metadata fingerprint.")};
    }
    instance.resource["metadata"] = {{"items", metadata.value("items", nlohmann::json::array())}};
    ++instance.fingerprint;
    return start_operation(base, zone, "setMetadata", name, instance.id, std::nullopt, "");
  });
}

nlohmann::json ComputeState::region_quotas(const std::string& region) {
  std::lock_guard lock(mutex_);
  return quotas_.region_quotas(region, held_demands());
}

nlohmann::json ComputeState::project_quotas() {
  std::lock_guard lock(mutex_);
  return quotas_.project_quotas(held_demands());
}

}  // namespace deepdock::gcpemu
