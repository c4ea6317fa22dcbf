#pragma once
// The Google Cloud part of `deepdock status`: every VM deepdock manages in the project (one
// aggregated list call), each with its state, zone, machine, GPUs, address and approximate
// price per hour while it runs.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/gcp_vm_lifecycle.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::cli {

struct GcpStatus {
  std::string project;
  std::vector<app::GcpVmListing> vms;
  // The spec's environment's VM runs, so its containers can be read over SSH.
  bool environment_vm_running = false;
};

Result<GcpStatus> read_gcp_status(const core::Spec& spec, const std::string& origin);

std::string gcp_status_text(const GcpStatus& status, const std::string& environment);
nlohmann::json gcp_status_json(const GcpStatus& status);

}  // namespace deepdock::cli
