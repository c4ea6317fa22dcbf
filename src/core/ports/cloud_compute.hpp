#pragma once
// CloudCompute: the Google Compute Engine calls deepdock makes to find a zone with the GPU
// and the quota for it, create the VM there, follow it, stop it and delete it. The real
// client is adapters/gcp/compute_client (REST, compute/v1); tests use
// tests/fakes/fake_cloud_compute.hpp.
//
// Every call names its project. Zones and regions are short names ("us-central1-a",
// "us-central1"); URLs the API returns are reduced to their last segment.
//
// Failures of the cloud itself (a stockout, a quota, an accelerator the zone lacks, a
// permission) come back from insert_instance as an operation that is DONE with `error`
// set, whether the API said so at once (HTTP 4xx/5xx with a Google error body) or in the
// operation later: provisioning decides what to try next from CloudFailure::reason alone.
// The other calls return such answers as errors (kNotFound, kPermissionDenied, ...), with the
// API's message.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace deepdock::core {

// What the API said went wrong: `reason` is the operation's error code
// (ZONE_RESOURCE_POOL_EXHAUSTED, QUOTA_EXCEEDED) or the synchronous error's reason
// (quotaExceeded, notFound, forbidden); `message` is Google's text.
struct CloudFailure {
  std::string reason;
  std::string message;
  int http_status = 0;  // 0 when the operation carried none
};

struct CloudQuota {
  std::string metric;  // NVIDIA_T4_GPUS, PREEMPTIBLE_NVIDIA_T4_GPUS, GPUS_ALL_REGIONS, CPUS
  double limit = 0;
  double usage = 0;
};

struct CloudZone {
  std::string name;    // us-central1-a
  std::string region;  // us-central1
  bool up = true;      // status UP
};

struct CloudRegion {
  std::string name;
  bool up = true;
  std::vector<std::string> zones;
  std::vector<CloudQuota> quotas;  // regions.get's; may lack a metric (treat as unknown)
};

// An accelerator type a zone offers (acceleratorTypes.aggregatedList).
struct CloudAcceleratorOffer {
  std::string zone;
  std::string name;  // nvidia-tesla-t4
  std::string description;
  int max_per_instance = 0;
};

struct CloudMachineType {
  std::string name;  // n1-standard-4
  std::string zone;
  int guest_cpus = 0;
  int memory_mb = 0;
  // Accelerator-optimized types (g2, a2, a3) carry their GPUs: type and count.
  std::string built_in_accelerator;
  int built_in_accelerator_count = 0;
};

// What instances.insert gets. Metadata values may be secrets-free only: the startup script
// and the public SSH key go here, never a token.
struct CloudInstanceSpec {
  std::string name;  // [a-z]([-a-z0-9]{0,61}[a-z0-9])?
  std::string zone;
  std::string machine_type;  // a bare name: n1-standard-4
  std::string accelerator;   // a bare type: nvidia-tesla-t4; empty for g2/a2/a3 or no GPU
  int accelerator_count = 0;
  std::string source_image;  // projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts
  int disk_gb = 100;
  std::string disk_type = "pd-balanced";
  bool spot = false;  // provisioningModel SPOT, instanceTerminationAction STOP
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;    // deepdock-managed=true, deepdock-env=<name>
  std::map<std::string, std::string> metadata;  // startup-script, ssh-keys, ...
};

// Instance.status: PROVISIONING, STAGING, RUNNING, STOPPING, TERMINATED, ...
struct CloudInstance {
  std::string name;
  std::string zone;
  std::string status;
  std::string status_message;
  std::string machine_type;  // bare name
  std::string accelerator;   // bare type of the first guest accelerator, if any
  int accelerator_count = 0;
  bool spot = false;
  std::string external_ip;  // networkInterfaces[0].accessConfigs[0].natIP; empty until RUNNING
  std::string internal_ip;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> metadata;
  std::string creation_timestamp;
  std::string last_start_timestamp;
};

// A zone operation (api-reference A.3).
struct CloudOperation {
  std::string name;
  std::string zone;
  std::string operation_type;  // insert, delete, stop, start
  std::string target;          // the instance's name
  std::string status;          // PENDING, RUNNING, DONE
  int progress = 0;
  std::optional<CloudFailure> error;  // set only when DONE and failed

  [[nodiscard]] bool done() const { return status == "DONE"; }
};

struct CloudSerialOutput {
  std::string contents;
  int64_t start = 0;  // where contents begins; above the asked start when bytes were lost
  int64_t next = 0;   // the start of the next call
};

class CloudCompute {
 public:
  virtual ~CloudCompute() = default;

  virtual Result<std::vector<CloudZone>> list_zones(const std::string& project) = 0;
  virtual Result<CloudRegion> get_region(const std::string& project, const std::string& region) = 0;
  // The project's own quotas (projects.get): GPUS_ALL_REGIONS lives here.
  virtual Result<std::vector<CloudQuota>> project_quotas(const std::string& project) = 0;
  // Every zone that offers `accelerator` (aggregated acceleratorTypes, all pages).
  virtual Result<std::vector<CloudAcceleratorOffer>> accelerator_offers(
      const std::string& project, const std::string& accelerator) = 0;
  virtual Result<CloudMachineType> get_machine_type(const std::string& project,
                                                    const std::string& zone,
                                                    const std::string& name) = 0;

  // instances.insert with ?requestId (a UUID: repeating the same request is harmless). A
  // refusal the API gives at once is a DONE operation with `error` (see the header comment).
  virtual Result<CloudOperation> insert_instance(const std::string& project,
                                                 const CloudInstanceSpec& spec,
                                                 const std::string& request_id) = 0;
  // nullopt when there is no such instance (404).
  virtual Result<std::optional<CloudInstance>> get_instance(const std::string& project,
                                                            const std::string& zone,
                                                            const std::string& name) = 0;
  // Instances in every zone whose labels include all of `labels` (aggregated, all pages).
  virtual Result<std::vector<CloudInstance>> list_instances(
      const std::string& project, const std::map<std::string, std::string>& labels) = 0;
  virtual Result<CloudOperation> delete_instance(const std::string& project,
                                                 const std::string& zone, const std::string& name,
                                                 const std::string& request_id) = 0;
  virtual Result<CloudOperation> stop_instance(const std::string& project, const std::string& zone,
                                               const std::string& name,
                                               const std::string& request_id) = 0;
  virtual Result<CloudOperation> start_instance(const std::string& project, const std::string& zone,
                                                const std::string& name,
                                                const std::string& request_id) = 0;
  // zoneOperations.wait: returns when the operation is DONE or after the server's own
  // deadline (about two minutes), whichever is first; callers loop until done().
  virtual Result<CloudOperation> wait_operation(const std::string& project, const std::string& zone,
                                                const std::string& operation) = 0;
  // Serial port 1 from byte `start` (getSerialPortOutput).
  virtual Result<CloudSerialOutput> serial_output(const std::string& project,
                                                  const std::string& zone, const std::string& name,
                                                  int64_t start) = 0;
};

}  // namespace deepdock::core
