#include "core/model/host_diagnosis_json.hpp"

#include <fmt/format.h>

namespace deepdock::core {

using nlohmann::json;

json host_diagnosis_to_json(const HostDiagnosisFacts& facts) {
  json gpus = json::array();
  for (const GpuFact& gpu : facts.gpu.gpus) {
    gpus.push_back({{"name", gpu.name},
                    {"compute_capability", gpu.compute_capability},
                    {"memory_mib", gpu.memory_mib}});
  }
  json out = {
      {"root", facts.root},
      {"gpu",
       {{"gpus", gpus},
        {"driver_version", facts.gpu.driver_version ? json(*facts.gpu.driver_version) : json()},
        {"driver_managed", facts.gpu.driver_managed},
        {"os_id", facts.gpu.os_id},
        {"os_version", facts.gpu.os_version},
        {"origin", facts.gpu.origin}}},
      {"modules",
       {{"nouveau", facts.modules.nouveau},
        {"nvidia", facts.modules.nvidia},
        {"nvidia_uvm", facts.modules.nvidia_uvm}}},
      {"library_versions", facts.library_versions},
      {"nvidia_smi_failure", facts.nvidia_smi_failure},
      {"devices",
       {{"gpus", facts.devices.gpus},
        {"nvidiactl", facts.devices.nvidiactl},
        {"nvidia_uvm", facts.devices.nvidia_uvm}}},
      {"secure_boot", facts.secure_boot ? json(*facts.secure_boot) : json()},
      {"toolkit",
       {{"daemon_json", facts.toolkit.daemon_json},
        {"daemon_json_nvidia", facts.toolkit.daemon_json_nvidia},
        {"daemon_json_error", facts.toolkit.daemon_json_error},
        {"cdi_specs", facts.toolkit.cdi_specs},
        {"binaries", facts.toolkit.binaries}}},
      {"images_disk",
       {{"path", facts.images_disk.path},
        {"free_bytes",
         facts.images_disk.free_bytes ? json(*facts.images_disk.free_bytes) : json()}}}};
  return out;
}

Result<HostDiagnosisFacts> host_diagnosis_from_json(const json& in) {
  try {
    HostDiagnosisFacts facts;
    facts.root = in.at("root").get<std::string>();
    const json& gpu = in.at("gpu");
    for (const json& item : gpu.at("gpus")) {
      facts.gpu.gpus.push_back(
          {.name = item.at("name").get<std::string>(),
           .compute_capability = item.at("compute_capability").get<std::string>(),
           .memory_mib = item.at("memory_mib").get<uint64_t>()});
    }
    if (!gpu.at("driver_version").is_null()) {
      facts.gpu.driver_version = gpu.at("driver_version").get<std::string>();
    }
    facts.gpu.driver_managed = gpu.at("driver_managed").get<bool>();
    facts.gpu.os_id = gpu.at("os_id").get<std::string>();
    facts.gpu.os_version = gpu.at("os_version").get<std::string>();
    facts.gpu.origin = gpu.at("origin").get<std::string>();
    const json& modules = in.at("modules");
    facts.modules = {.nouveau = modules.at("nouveau").get<bool>(),
                     .nvidia = modules.at("nvidia").get<bool>(),
                     .nvidia_uvm = modules.at("nvidia_uvm").get<bool>()};
    facts.library_versions = in.at("library_versions").get<std::vector<std::string>>();
    facts.nvidia_smi_failure = in.at("nvidia_smi_failure").get<std::string>();
    const json& devices = in.at("devices");
    facts.devices = {.gpus = devices.at("gpus").get<std::vector<std::string>>(),
                     .nvidiactl = devices.at("nvidiactl").get<bool>(),
                     .nvidia_uvm = devices.at("nvidia_uvm").get<bool>()};
    if (!in.at("secure_boot").is_null()) {
      facts.secure_boot = in.at("secure_boot").get<bool>();
    }
    const json& toolkit = in.at("toolkit");
    facts.toolkit = {.daemon_json = toolkit.at("daemon_json").get<std::string>(),
                     .daemon_json_nvidia = toolkit.at("daemon_json_nvidia").get<bool>(),
                     .daemon_json_error = toolkit.at("daemon_json_error").get<std::string>(),
                     .cdi_specs = toolkit.at("cdi_specs").get<std::vector<std::string>>(),
                     .binaries = toolkit.at("binaries").get<std::vector<std::string>>()};
    const json& disk = in.at("images_disk");
    facts.images_disk.path = disk.at("path").get<std::string>();
    if (!disk.at("free_bytes").is_null()) {
      facts.images_disk.free_bytes = disk.at("free_bytes").get<uint64_t>();
    }
    return facts;
  } catch (const json::exception& error) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the host's diagnosis facts are not what this deepdock reads: {}",
                            error.what()),
                "the deepdock on the host is another version: run `deepdock bootstrap` there");
  }
}

}  // namespace deepdock::core
