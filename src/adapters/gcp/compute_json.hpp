#pragma once
// Compute Engine v1 JSON (api-reference A) to and from core::CloudCompute's values: the
// resources the API returns (Instance, Operation, Zone, Region, MachineType,
// AcceleratorType, SerialPortOutput), pages of plain and aggregated lists, Google's error
// bodies, and the body of instances.insert.
//
// URLs the API returns (zone, region, machineType, targetLink, ...) are reduced to their last
// segment, whatever their host: Google answers with www.googleapis.com links even when asked
// at compute.googleapis.com, and an emulator with its own.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/cloud_compute.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// "https://www.googleapis.com/compute/v1/projects/p/zones/us-west1-b" → "us-west1-b".
std::string last_segment(std::string_view url);

// What a failed call's body says, in either of Google's shapes:
//   {"error":{"code":403,"message":M,"errors":[{"reason":"quotaExceeded","domain":D,...}]}}
//   {"error":{"code":403,"message":M,"status":"PERMISSION_DENIED","details":[...]}}
struct GoogleError {
  int http_status = 0;
  bool from_google = false;  // the body had Google's shape (else: a proxy's page, nothing)
  std::string reason;        // errors[0].reason, else error.status; empty when neither
  std::string message;       // error.message, else errors[0].message
  // The google.rpc.ErrorInfo reason of the newer shape (SERVICE_DISABLED), or the legacy
  // reason again: what hints are chosen by.
  std::string detail;
};

GoogleError parse_google_error(int http_status, std::string_view body);

// One page of a list: `items` of a plain list, or of an aggregated list the entries under
// `kind` ("instances", "acceleratorTypes") of every scope (scopes holding only a warning,
// such as NO_RESULTS_ON_PAGE, add nothing).
struct ListPage {
  std::vector<nlohmann::json> items;
  std::string next_page_token;
  std::vector<std::string> unreachables;  // scopes an aggregated list could not reach
};

ListPage parse_list_page(const nlohmann::json& page, std::string_view kind);

// Each reads one resource; a missing name (or, for an operation, status) is an error, other
// missing fields keep their defaults.
Result<core::CloudZone> parse_zone(const nlohmann::json& zone);
Result<core::CloudRegion> parse_region(const nlohmann::json& region);
std::vector<core::CloudQuota> parse_quotas(const nlohmann::json& quotas);
Result<core::CloudAcceleratorOffer> parse_accelerator_type(const nlohmann::json& type);
Result<core::CloudMachineType> parse_machine_type(const nlohmann::json& type);
Result<core::CloudInstance> parse_instance(const nlohmann::json& instance);
Result<core::CloudOperation> parse_operation(const nlohmann::json& operation);
Result<core::CloudSerialOutput> parse_serial_output(const nlohmann::json& output);

// A JSON object from an answer's body; an error naming `what` when it is not one.
Result<nlohmann::json> parse_object(std::string_view body, std::string_view what);

// The Instance of instances.insert (api-reference A.2): the machine type and disk type as
// zone paths, a boot disk deleted with the VM, GPUs for a named accelerator, TERMINATE on
// host maintenance (GPUs cannot migrate), Spot as provisioningModel SPOT stopped on
// preemption, metadata, tags, labels, the default service account with the cloud-platform
// scope, and the default network with an external address.
nlohmann::json instance_insert_body(const core::CloudInstanceSpec& spec);

}  // namespace deepdock::adapters::gcp
