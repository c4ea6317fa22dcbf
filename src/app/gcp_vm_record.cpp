#include "app/gcp_vm_record.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace deepdock::app {

std::string gcp_vm_record_key(std::string_view env_name) {
  std::string key = "gcp-vm-";
  for (const char c : env_name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    key.push_back(allowed ? c : '_');
  }
  return key;
}

Result<std::optional<GcpVmRecord>> read_gcp_vm_record(core::StateStore& state,
                                                      std::string_view env_name) {
  const std::string key = gcp_vm_record_key(env_name);
  TRY_ASSIGN(const std::optional<std::string> text, state.read(key));
  if (!text) {
    return std::optional<GcpVmRecord>{};
  }
  const nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || !json.value("name", nlohmann::json()).is_string() ||
      !json.value("zone", nlohmann::json()).is_string()) {
    return fail(ErrorCode::kFailure, fmt::format("the state record {} is damaged", key),
                "if the VM still exists, delete it in the console or with `gcloud compute "
                "instances delete`; then remove the record file");
  }
  GcpVmRecord record;
  record.project = json.value("project", "");
  record.zone = json.value("zone", "");
  record.name = json.value("name", "");
  record.state = json.value("state", "");
  record.request_id = json.value("request_id", "");
  record.operation = json.value("operation", "");
  return std::optional{record};
}

Status write_gcp_vm_record(core::StateStore& state, std::string_view env_name,
                           const GcpVmRecord& record) {
  const nlohmann::json json = {{"project", record.project},
                               {"zone", record.zone},
                               {"name", record.name},
                               {"state", record.state},
                               {"request_id", record.request_id},
                               {"operation", record.operation}};
  auto written = state.write(gcp_vm_record_key(env_name), json.dump());
  if (!written) {
    return fail(
        written.error().context(fmt::format("recording VM {} in {}", record.name, record.zone)));
  }
  return {};
}

Status remove_gcp_vm_record(core::StateStore& state, std::string_view env_name) {
  return state.remove(gcp_vm_record_key(env_name));
}

}  // namespace deepdock::app
