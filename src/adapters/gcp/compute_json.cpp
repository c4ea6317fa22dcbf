#include "adapters/gcp/compute_json.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

// Readers that never throw: a field of the wrong type reads as absent.
const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::string text(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string{};
}

// int64 fields come as strings ("start": "0"), int32 fields as numbers.
int64_t integer(const json& object, std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr) {
    return 0;
  }
  if (value->is_number()) {
    return value->get<int64_t>();
  }
  return value->is_string() ? std::strtoll(value->get<std::string>().c_str(), nullptr, 10) : 0;
}

double number(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_number() ? value->get<double>() : 0.0;
}

bool boolean(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

const json& first(const json& object, std::string_view key) {
  static const json kNull;
  const json* value = member(object, key);
  return value != nullptr && value->is_array() && !value->empty() ? value->front() : kNull;
}

std::map<std::string, std::string> string_map(const json& object, std::string_view key) {
  std::map<std::string, std::string> out;
  if (const json* value = member(object, key); value != nullptr && value->is_object()) {
    for (const auto& [name, item] : value->items()) {
      if (item.is_string()) {
        out[name] = item.get<std::string>();
      }
    }
  }
  return out;
}

tl::unexpected<Error> malformed(std::string_view what, std::string_view missing) {
  return fail(ErrorCode::kFailure,
              fmt::format("Compute Engine answered with a {} that has no {}", what, missing),
              "this is unexpected from the API; run again with --verbose and report it");
}

}  // namespace

std::string last_segment(std::string_view url) {
  while (!url.empty() && url.back() == '/') {
    url.remove_suffix(1);
  }
  const size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

GoogleError parse_google_error(int http_status, std::string_view body) {
  GoogleError out;
  out.http_status = http_status;
  const json parsed = json::parse(body, nullptr, false);
  const json* error = member(parsed, "error");
  if (error == nullptr || !error->is_object()) {
    return out;
  }
  out.from_google = true;
  const json& item = first(*error, "errors");
  out.message = text(*error, "message");
  if (out.message.empty()) {
    out.message = text(item, "message");
  }
  out.reason = text(item, "reason");
  out.detail = out.reason;
  if (const json* details = member(*error, "details"); details != nullptr && details->is_array()) {
    for (const json& detail : *details) {
      if (text(detail, "@type").ends_with("google.rpc.ErrorInfo") && out.detail.empty()) {
        out.detail = text(detail, "reason");
      }
    }
  }
  if (out.reason.empty()) {
    out.reason = text(*error, "status");
  }
  return out;
}

Result<json> parse_object(std::string_view body, std::string_view what) {
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_object()) {
    return fail(ErrorCode::kFailure,
                fmt::format("Compute Engine answered {} with something that is not JSON", what),
                "check api_endpoint_overrides/compute in the gcloud configuration, or any proxy "
                "between here and Google");
  }
  return parsed;
}

ListPage parse_list_page(const json& page, std::string_view kind) {
  ListPage out;
  out.next_page_token = text(page, "nextPageToken");
  if (const json* items = member(page, "items"); items != nullptr) {
    if (items->is_array()) {
      out.items.assign(items->begin(), items->end());
    } else if (items->is_object()) {
      for (const auto& [scope, entry] : items->items()) {
        if (const json* found = member(entry, kind); found != nullptr && found->is_array()) {
          out.items.insert(out.items.end(), found->begin(), found->end());
        }
      }
    }
  }
  if (const json* unreachables = member(page, "unreachables");
      unreachables != nullptr && unreachables->is_array()) {
    for (const json& scope : *unreachables) {
      if (scope.is_string()) {
        out.unreachables.push_back(scope.get<std::string>());
      }
    }
  }
  return out;
}

Result<core::CloudZone> parse_zone(const json& zone) {
  core::CloudZone out;
  out.name = text(zone, "name");
  if (out.name.empty()) {
    return malformed("zone", "name");
  }
  out.region = last_segment(text(zone, "region"));
  out.up = text(zone, "status") != "DOWN";
  return out;
}

std::vector<core::CloudQuota> parse_quotas(const json& quotas) {
  std::vector<core::CloudQuota> out;
  if (!quotas.is_array()) {
    return out;
  }
  for (const json& quota : quotas) {
    const std::string metric = text(quota, "metric");
    if (!metric.empty()) {
      out.push_back({metric, number(quota, "limit"), number(quota, "usage")});
    }
  }
  return out;
}

Result<core::CloudRegion> parse_region(const json& region) {
  core::CloudRegion out;
  out.name = text(region, "name");
  if (out.name.empty()) {
    return malformed("region", "name");
  }
  out.up = text(region, "status") != "DOWN";
  if (const json* zones = member(region, "zones"); zones != nullptr && zones->is_array()) {
    for (const json& zone : *zones) {
      if (zone.is_string()) {
        out.zones.push_back(last_segment(zone.get<std::string>()));
      }
    }
  }
  if (const json* quotas = member(region, "quotas"); quotas != nullptr) {
    out.quotas = parse_quotas(*quotas);
  }
  return out;
}

Result<core::CloudAcceleratorOffer> parse_accelerator_type(const json& type) {
  core::CloudAcceleratorOffer out;
  out.name = text(type, "name");
  if (out.name.empty()) {
    return malformed("accelerator type", "name");
  }
  out.zone = last_segment(text(type, "zone"));
  out.description = text(type, "description");
  out.max_per_instance = static_cast<int>(integer(type, "maximumCardsPerInstance"));
  return out;
}

Result<core::CloudMachineType> parse_machine_type(const json& type) {
  core::CloudMachineType out;
  out.name = text(type, "name");
  if (out.name.empty()) {
    return malformed("machine type", "name");
  }
  out.zone = last_segment(text(type, "zone"));
  out.guest_cpus = static_cast<int>(integer(type, "guestCpus"));
  out.memory_mb = static_cast<int>(integer(type, "memoryMb"));
  const json& accelerator = first(type, "accelerators");
  out.built_in_accelerator = last_segment(text(accelerator, "guestAcceleratorType"));
  out.built_in_accelerator_count = static_cast<int>(integer(accelerator, "guestAcceleratorCount"));
  return out;
}

Result<core::CloudInstance> parse_instance(const json& instance) {
  core::CloudInstance out;
  out.name = text(instance, "name");
  if (out.name.empty()) {
    return malformed("instance", "name");
  }
  out.zone = last_segment(text(instance, "zone"));
  out.status = text(instance, "status");
  out.status_message = text(instance, "statusMessage");
  out.machine_type = last_segment(text(instance, "machineType"));
  const json& accelerator = first(instance, "guestAccelerators");
  out.accelerator = last_segment(text(accelerator, "acceleratorType"));
  out.accelerator_count = static_cast<int>(integer(accelerator, "acceleratorCount"));
  if (const json* scheduling = member(instance, "scheduling"); scheduling != nullptr) {
    out.spot =
        text(*scheduling, "provisioningModel") == "SPOT" || boolean(*scheduling, "preemptible");
  }
  const json& nic = first(instance, "networkInterfaces");
  out.internal_ip = text(nic, "networkIP");
  out.external_ip = text(first(nic, "accessConfigs"), "natIP");
  out.labels = string_map(instance, "labels");
  if (const json* metadata = member(instance, "metadata"); metadata != nullptr) {
    if (const json* items = member(*metadata, "items"); items != nullptr && items->is_array()) {
      for (const json& item : *items) {
        if (const std::string key = text(item, "key"); !key.empty()) {
          out.metadata[key] = text(item, "value");
        }
      }
    }
  }
  out.creation_timestamp = text(instance, "creationTimestamp");
  out.last_start_timestamp = text(instance, "lastStartTimestamp");
  return out;
}

Result<core::CloudOperation> parse_operation(const json& operation) {
  core::CloudOperation out;
  out.name = text(operation, "name");
  out.status = text(operation, "status");
  if (out.name.empty() || out.status.empty()) {
    return malformed("operation", out.name.empty() ? "name" : "status");
  }
  out.zone = last_segment(text(operation, "zone"));
  out.operation_type = text(operation, "operationType");
  out.target = last_segment(text(operation, "targetLink"));
  out.progress = static_cast<int>(integer(operation, "progress"));
  const json* error = member(operation, "error");
  if (out.done() && error != nullptr && error->is_object()) {
    core::CloudFailure failure;
    failure.http_status = static_cast<int>(integer(operation, "httpErrorStatusCode"));
    std::vector<std::string> messages;
    if (const json* errors = member(*error, "errors"); errors != nullptr && errors->is_array()) {
      for (const json& item : *errors) {
        if (failure.reason.empty()) {
          failure.reason = text(item, "code");
        }
        if (std::string message = text(item, "message"); !message.empty()) {
          messages.push_back(std::move(message));
        }
      }
    }
    if (failure.reason.empty()) {
      failure.reason = "OPERATION_FAILED";
    }
    for (const std::string& message : messages) {
      failure.message += failure.message.empty() ? message : "; " + message;
    }
    if (failure.message.empty()) {
      failure.message = text(operation, "httpErrorMessage");
    }
    out.error = std::move(failure);
  }
  return out;
}

Result<core::CloudSerialOutput> parse_serial_output(const json& output) {
  core::CloudSerialOutput out;
  const json* contents = member(output, "contents");
  if (contents == nullptr || !contents->is_string()) {
    return malformed("serial port output", "contents");
  }
  out.contents = contents->get<std::string>();
  out.start = integer(output, "start");
  out.next = member(output, "next") != nullptr
                 ? integer(output, "next")
                 : out.start + static_cast<int64_t>(out.contents.size());
  return out;
}

json instance_insert_body(const core::CloudInstanceSpec& spec) {
  const std::string zone_path = "zones/" + spec.zone;
  json body = {
      {"name", spec.name},
      {"machineType", zone_path + "/machineTypes/" + spec.machine_type},
      {"disks",
       {{{"boot", true},
         {"autoDelete", true},
         {"type", "PERSISTENT"},
         {"initializeParams",
          {{"sourceImage", spec.source_image},
           {"diskSizeGb", std::to_string(spec.disk_gb)},
           {"diskType", zone_path + "/diskTypes/" + spec.disk_type}}}}}},
      {"serviceAccounts",
       {{{"email", "default"}, {"scopes", {"https://www.googleapis.com/auth/cloud-platform"}}}}},
      {"networkInterfaces",
       {{{"network", "global/networks/default"},
         {"accessConfigs",
          {{{"type", "ONE_TO_ONE_NAT"}, {"name", "External NAT"}, {"networkTier", "PREMIUM"}}}}}}}};
  if (!spec.accelerator.empty() && spec.accelerator_count > 0) {
    body["guestAccelerators"] = {
        {{"acceleratorType", zone_path + "/acceleratorTypes/" + spec.accelerator},
         {"acceleratorCount", spec.accelerator_count}}};
  }
  json scheduling = {{"onHostMaintenance", "TERMINATE"}, {"automaticRestart", !spec.spot}};
  if (spec.spot) {
    scheduling["provisioningModel"] = "SPOT";
    scheduling["instanceTerminationAction"] = "STOP";
  }
  body["scheduling"] = std::move(scheduling);
  json items = json::array();
  for (const auto& [key, value] : spec.metadata) {
    items.push_back({{"key", key}, {"value", value}});
  }
  body["metadata"] = {{"items", std::move(items)}};
  if (!spec.tags.empty()) {
    body["tags"] = {{"items", spec.tags}};
  }
  if (!spec.labels.empty()) {
    body["labels"] = spec.labels;
  }
  return body;
}

}  // namespace deepdock::adapters::gcp
