// How operations move on with time and what they do when they finish (ComputeState).

#include <fstream>
#include <iostream>
#include <sstream>

#include "compute_state.hpp"

namespace deepdock::gcpemu {
namespace {

std::string key(const std::string& zone, const std::string& name) {
  return zone + "/" + name;
}

std::string now_rfc3339() {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S.000-00:00", &utc);
  return text;
}

std::string metadata_value(const nlohmann::json& resource, const std::string& wanted) {
  if (!resource.contains("metadata") || !resource["metadata"].contains("items")) {
    return "";
  }
  for (const nlohmann::json& item : resource["metadata"]["items"]) {
    if (item.value("key", "") == wanted) {
      return item.value("value", "");
    }
  }
  return "";
}

// Creations (insert, start) realize the instance; delete unrealizes it.
bool realizes(const std::string& type) {
  return type == "insert" || type == "start";
}

}  // namespace

RealizeJob ComputeState::job_for(const Operation& op, const Instance& instance, bool up) const {
  return {.up = up,
          .operation = op.name,
          .project = scenario_.project,
          .zone = op.zone,
          .instance = instance.name,
          .ssh_keys = metadata_value(instance.resource, "ssh-keys"),
          .startup_script = metadata_value(instance.resource, "startup-script"),
          .dir = instance.dir};
}

std::vector<RealizeJob> ComputeState::advance() {
  std::vector<RealizeJob> jobs;
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  bool changed = false;
  for (auto& [k, op] : operations_) {
    if (op.status == "DONE" || op.realizing) {
      continue;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - op.started).count();
    Instance* instance = find(op.zone, op.target);
    if (elapsed < op.delay_ms) {
      if (elapsed * 3 >= op.delay_ms && op.status == "PENDING") {
        op.status = "RUNNING";
        if (instance != nullptr && instance->status == "PROVISIONING") {
          instance->status = "STAGING";
        }
        changed = true;
      }
      continue;
    }
    changed = true;
    const bool up = realizes(op.type);
    if (!op.error && instance != nullptr && (up || op.type == "delete") && realizer_.enabled(up)) {
      op.status = "RUNNING";
      op.realizing = true;
      jobs.push_back(job_for(op, *instance, up));
      continue;
    }
    complete(op);
  }
  if (changed) {
    changed_.notify_all();
  }
  return jobs;
}

void ComputeState::finish(const RealizeJob& job, const RealizeResult& result) {
  std::lock_guard lock(mutex_);
  const auto found = operations_.find(key(job.zone, job.operation));
  if (found == operations_.end()) {
    return;
  }
  Operation& op = found->second;
  op.realizing = false;
  if (!result.ok) {
    std::cerr << "deepdock-gcp-emulator: " << job.zone << "/" << job.instance << ": "
              << result.message << "\n";
    if (job.up) {
      op.error = OperationError{"EMULATOR_REALIZE_FAILED", result.message, 500};
    }
  } else if (Instance* instance = find(job.zone, job.instance); instance && job.up) {
    instance->nat_ip = result.nat_ip;
  }
  complete(op);
  changed_.notify_all();
}

void ComputeState::complete(Operation& op) {
  op.status = "DONE";
  op.end_time = now_rfc3339();
  Instance* instance = find(op.zone, op.target);
  if (instance == nullptr) {
    return;
  }
  if (op.error) {
    if (op.type == "insert") {  // a failed creation leaves nothing behind (A.11)
      instances_.erase(key(op.zone, op.target));
    } else if (op.type == "start") {
      instance->status = "TERMINATED";
    }
    return;
  }
  if (realizes(op.type)) {
    instance->status = "RUNNING";
    if (instance->nat_ip.empty()) {  // TEST-NET-3, never routed
      instance->nat_ip = "203.0.113." + std::to_string(1 + instance->id % 250);
    }
    for (const std::string& line : scenario_.serial_output) {
      instance->serial += line + "\n";
    }
  } else if (op.type == "stop") {
    instance->status = "TERMINATED";
    instance->nat_ip.clear();  // ephemeral: a new one on the next start
  } else if (op.type == "delete") {
    instances_.erase(key(op.zone, op.target));
  }
}

Reply ComputeState::get_operation(const std::string& base, const std::string& zone,
                                  const std::string& name) {
  std::lock_guard lock(mutex_);
  const auto found = operations_.find(key(zone, name));
  if (found == operations_.end()) {
    return {404, legacy_error(404, "notFound",
                              "The resource 'projects/" + scenario_.project + "/zones/" + zone +
                                  "/operations/" + name + "' was not found")};
  }
  return {200, render(base, found->second)};
}

Reply ComputeState::wait_operation(const std::string& base, const std::string& zone,
                                   const std::string& name, std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, deadline, [&] {
    const auto found = operations_.find(key(zone, name));
    return found == operations_.end() || found->second.status == "DONE";
  });
  lock.unlock();
  return get_operation(base, zone, name);
}

Reply ComputeState::serial_port(const std::string& base, const std::string& zone,
                                const std::string& name, int64_t start) {
  return with_instance(zone, name, [&](const Instance& instance) -> Reply {
    std::string contents = instance.serial;
    if (std::ifstream file(serial_port_file(instance.dir)); file) {
      std::ostringstream text;
      text << file.rdbuf();
      contents += text.str();
    }
    const auto size = static_cast<int64_t>(contents.size());
    int64_t from = start < 0 ? std::max<int64_t>(0, size + start) : std::min(start, size);
    return {200,
            {{"kind", "compute#serialPortOutput"},
             {"contents", contents.substr(static_cast<size_t>(from))},
             {"start", std::to_string(from)},
             {"next", std::to_string(size)},
             {"selfLink", base + "projects/" + scenario_.project + "/zones/" + zone +
                              "/instances/" + name + "/serialPort"}}};
  });
}

}  // namespace deepdock::gcpemu
