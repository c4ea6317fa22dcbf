// Instances and operations as Compute Engine renders them (ComputeState).

#include "compute_state.hpp"

namespace deepdock::gcpemu {
namespace {

std::string last_segment(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

nlohmann::json render_disks(const nlohmann::json& disks, const std::string& zone_url,
                            const std::string& instance_name) {
  nlohmann::json out = nlohmann::json::array();
  int index = 0;
  for (const nlohmann::json& disk : disks) {
    const nlohmann::json params = disk.value("initializeParams", nlohmann::json::object());
    const std::string disk_name = params.value(
        "diskName", index == 0 ? instance_name : instance_name + "-" + std::to_string(index));
    out.push_back(
        {{"kind", "compute#attachedDisk"},
         {"type", disk.value("type", "PERSISTENT")},
         {"mode", disk.value("mode", "READ_WRITE")},
         {"source", std::string(zone_url).append("/disks/").append(disk_name)},
         {"deviceName", disk.value("deviceName", "persistent-disk-" + std::to_string(index))},
         {"index", index},
         {"boot", disk.value("boot", false)},
         {"autoDelete", disk.value("autoDelete", false)},
         {"interface", disk.value("interface", "SCSI")},
         {"diskSizeGb", params.value("diskSizeGb", "10")}});
    ++index;
  }
  return out;
}

nlohmann::json render_network(const nlohmann::json& interfaces, const std::string& base,
                              const std::string& project, const Instance& instance) {
  nlohmann::json out = nlohmann::json::array();
  const nlohmann::json given =
      interfaces.empty() ? nlohmann::json::array({nlohmann::json::object()}) : interfaces;
  int index = 0;
  for (const nlohmann::json& nic : given) {
    nlohmann::json access = nlohmann::json::array();
    for (const nlohmann::json& config : nic.value("accessConfigs", nlohmann::json::array())) {
      nlohmann::json rendered = {{"kind", "compute#accessConfig"},
                                 {"type", config.value("type", "ONE_TO_ONE_NAT")},
                                 {"name", config.value("name", "External NAT")},
                                 {"networkTier", config.value("networkTier", "PREMIUM")}};
      if (!instance.nat_ip.empty() && instance.status == "RUNNING") {
        rendered["natIP"] = instance.nat_ip;
      }
      access.push_back(rendered);
    }
    out.push_back({{"kind", "compute#networkInterface"},
                   {"name", "nic" + std::to_string(index)},
                   {"network", std::string(base)
                                   .append("projects/")
                                   .append(project)
                                   .append("/global/networks/")
                                   .append(last_segment(nic.value("network", "default")))},
                   {"networkIP", "10.128.0." + std::to_string(2 + instance.id % 250)},
                   {"accessConfigs", access}});
    ++index;
  }
  return out;
}

}  // namespace

nlohmann::json ComputeState::render(const std::string& base, const Instance& instance) const {
  const std::string& p = scenario_.project;
  const std::string zone_url = base + "projects/" + p + "/zones/" + instance.zone;
  nlohmann::json out = instance.resource;
  out["kind"] = "compute#instance";
  out["id"] = std::to_string(instance.id);
  out["creationTimestamp"] = instance.created;
  out["zone"] = zone_url;
  out["status"] = instance.status;
  out["selfLink"] = zone_url + "/instances/" + instance.name;
  out["machineType"] = zone_url + "/machineTypes/" + instance.machine_type;
  out["cpuPlatform"] = "Intel Broadwell";
  out["fingerprint"] = "ZW11bGF0b3I=";
  out["labelFingerprint"] = "42WmSpB8rSM=";
  out["startRestricted"] = false;
  out["deletionProtection"] = instance.resource.value("deletionProtection", false);
  out["canIpForward"] = instance.resource.value("canIpForward", false);
  if (out.contains("guestAccelerators")) {
    for (nlohmann::json& accelerator : out["guestAccelerators"]) {
      accelerator["acceleratorType"] =
          zone_url + "/acceleratorTypes/" + last_segment(accelerator.value("acceleratorType", ""));
    }
  }
  out["disks"] = render_disks(instance.resource.value("disks", nlohmann::json::array()), zone_url,
                              instance.name);
  out["networkInterfaces"] = render_network(
      instance.resource.value("networkInterfaces", nlohmann::json::array()), base, p, instance);
  nlohmann::json metadata = instance.resource.value("metadata", nlohmann::json::object());
  metadata["kind"] = "compute#metadata";
  metadata["fingerprint"] = "fp-" + std::to_string(instance.fingerprint);
  out["metadata"] = metadata;
  nlohmann::json scheduling = instance.resource.value("scheduling", nlohmann::json::object());
  scheduling["onHostMaintenance"] = scheduling.value("onHostMaintenance", "MIGRATE");
  scheduling["automaticRestart"] = scheduling.value("automaticRestart", true);
  scheduling["preemptible"] = scheduling.value("preemptible", false);
  scheduling["provisioningModel"] = scheduling.value("provisioningModel", "STANDARD");
  out["scheduling"] = scheduling;
  if (out.contains("serviceAccounts")) {
    for (nlohmann::json& account : out["serviceAccounts"]) {
      if (account.value("email", "") == "default") {
        account["email"] = scenario_.project_number + "-compute@developer.gserviceaccount.com";
      }
    }
  }
  return out;
}

nlohmann::json ComputeState::render(const std::string& base, const Operation& op) const {
  const std::string zone_url = base + "projects/" + scenario_.project + "/zones/" + op.zone;
  nlohmann::json out = {{"kind", "compute#operation"},
                        {"id", std::to_string(op.id)},
                        {"name", op.name},
                        {"zone", zone_url},
                        {"operationType", op.type},
                        {"targetLink", zone_url + "/instances/" + op.target},
                        {"targetId", std::to_string(op.target_id)},
                        {"status", op.status},
                        {"user", "deepdock-test@example.com"},
                        {"progress", op.status == "DONE" ? 100 : 0},
                        {"insertTime", op.insert_time},
                        {"startTime", op.insert_time},
                        {"selfLink", zone_url + "/operations/" + op.name}};
  if (op.status == "DONE") {
    out["endTime"] = op.end_time;
    if (op.error) {
      out["error"] = {{"errors", {operation_error_json(*op.error)}}};
      out["httpErrorStatusCode"] = op.error->http_status;
      out["httpErrorMessage"] = op.error->http_status == 503 ? "SERVICE UNAVAILABLE" : "FORBIDDEN";
    }
  }
  return out;
}

Reply ComputeState::get_instance(const std::string& base, const std::string& zone,
                                 const std::string& name) {
  return with_instance(zone, name, [&](const Instance& instance) -> Reply {
    return {200, render(base, instance)};
  });
}

Reply ComputeState::list_instances(const std::string& base, const std::string& zone,
                                   const ListQuery& query) {
  std::lock_guard lock(mutex_);
  std::vector<nlohmann::json> items;
  for (const auto& [k, instance] : instances_) {
    if (instance.zone == zone) {
      items.push_back(render(base, instance));
    }
  }
  const std::string self = base + "projects/" + scenario_.project + "/zones/" + zone + "/instances";
  return {200, list_page(items, query,
                         {{"kind", "compute#instanceList"}, {"id", self}, {"selfLink", self}})};
}

Reply ComputeState::aggregated_instances(const std::string& base, const ListQuery& query) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> scopes;
  std::vector<std::pair<std::string, nlohmann::json>> entries;
  for (const ZoneSpec& zone : scenario_.zones) {
    scopes.push_back("zones/" + zone.name);
    for (const auto& [k, instance] : instances_) {
      if (instance.zone == zone.name) {
        entries.emplace_back(scopes.back(), render(base, instance));
      }
    }
  }
  const std::string self = base + "projects/" + scenario_.project + "/aggregated/instances";
  return {200, aggregated_page(scopes, entries, "instances", query,
                               {{"kind", "compute#instanceAggregatedList"},
                                {"id", "projects/" + scenario_.project + "/aggregated/instances"},
                                {"selfLink", self}})};
}

}  // namespace deepdock::gcpemu
