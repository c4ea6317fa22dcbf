#pragma once
// Planning a Google Cloud GPU VM before creating anything: the machine type matched to the
// accelerator (and validated against Compute, which also tells its vCPUs), the quota
// metric and how much of it is free where, the zones to try in order and those ruled out,
// and an approximate price. `deepdock plan` prints it; provision_gcp_vm follows it.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/gcp_deps.hpp"
#include "core/gcp/zone_selection.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::app {

struct GcpVmRequest {
  std::string env_name;          // the spec's name: names the VM and its record
  core::GcpTarget target;        // with the project resolved (never empty here)
  std::string preferred_region;  // the gcloud configuration's region or zone's; "" = none
  std::string source_image;      // "" = from target.image_family (core::gcp_source_image)
  std::map<std::string, std::string> metadata;  // startup-script, ssh-keys: never a secret
  std::chrono::seconds operation_timeout{600};  // each insert/start/stop/delete
  std::chrono::seconds running_timeout{300};    // until RUNNING with an external IP
};

struct GcpVmPlan {
  std::string project;
  std::string machine_type;
  std::string machine_reason;  // why this machine type
  bool built_in_gpus = false;  // g2/a2/a3: no guestAccelerators sent
  std::string accelerator;
  std::string gpu_model;  // "Tesla T4"; "" for a type outside the catalog
  int count = 1;
  bool spot = false;
  int guest_cpus = 0;
  int memory_mb = 0;
  std::optional<double> price_per_hour;  // USD, see price_note
  std::string price_note;                // "approximate list price, us-central1"
  std::string quota_metric;              // "" = Compute reports none for this type
  std::optional<double> global_free;     // GPUS_ALL_REGIONS
  std::vector<core::ZoneCandidate> candidates;
  std::vector<GcpAttempt> skipped;  // zones ruled out before trying (tried = false)
  std::string source_image;
};

// Reads offers, zones, region and project quotas and the machine type. kIncompatible when
// no zone offers the accelerator (hint: known types / nearby spelling); kPrecondition when
// no quota anywhere (hint: how to ask for more); kInvalidInput for a machine type or count
// that cannot carry the accelerator.
Result<GcpVmPlan> plan_gcp_vm(const GcpVmRequest& request, GcpDeps& deps);

// The plan as lines for the terminal:
//   machine   n1-standard-4 (4 vCPUs, 15 GB) + 1 x nvidia-tesla-t4 (Tesla T4), on-demand
//   price     ~$0.54/hour (approximate list price, us-central1)
//   zones     us-west1-b (4 free NVIDIA_T4_GPUS), ...
//   skipped   us-east1-c: not offered
std::vector<std::string> format_gcp_vm_plan(const GcpVmPlan& plan);

}  // namespace deepdock::app
