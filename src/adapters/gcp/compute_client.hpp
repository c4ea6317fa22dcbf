#pragma once
// ComputeClient: core::CloudCompute over the Compute Engine v1 REST API (api-reference A).
// Requests go through ComputeCaller (token, quota project, retries with back-off, one token
// refresh on 401); answers are read by compute_json, refusals mapped by compute_errors.
//
// Lists follow nextPageToken to the end, and list_instances and accelerator_offers also
// filter on this side what they asked the server to filter, so a server that ignores
// `filter` cannot widen the result. insert_instance turns an immediate refusal that has
// Google's error body (after the retries) into a DONE operation with its error, so that
// provisioning reads quota, stockout and permission failures the same way from both paths.

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/gcp/compute_call.hpp"
#include "core/ports/access_token_source.hpp"
#include "core/ports/cloud_compute.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::adapters::gcp {

struct ComputeClientOptions {
  std::string path_prefix = "/compute/v1/";  // the API's path below the transport's base
  std::string quota_project;                 // sent as x-goog-user-project; empty: not sent
  BackoffSleep sleep;                        // null: a real sleep that Ctrl-C ends
  RetrySchedule retry;
  // zoneOperations.wait holds the request up to about two minutes.
  std::chrono::milliseconds wait_timeout{std::chrono::seconds(150)};
};

class ComputeClient final : public core::CloudCompute {
 public:
  // `transport` is bound to the API's base URL ("https://compute.googleapis.com").
  ComputeClient(std::unique_ptr<core::HttpTransport> transport, core::AccessTokenSource& tokens,
                ComputeClientOptions options = {});

  Result<std::vector<core::CloudZone>> list_zones(const std::string& project) override;
  Result<core::CloudRegion> get_region(const std::string& project,
                                       const std::string& region) override;
  Result<std::vector<core::CloudQuota>> project_quotas(const std::string& project) override;
  Result<std::vector<core::CloudAcceleratorOffer>> accelerator_offers(
      const std::string& project, const std::string& accelerator) override;
  Result<core::CloudMachineType> get_machine_type(const std::string& project,
                                                  const std::string& zone,
                                                  const std::string& name) override;
  Result<core::CloudOperation> insert_instance(const std::string& project,
                                               const core::CloudInstanceSpec& spec,
                                               const std::string& request_id) override;
  Result<std::optional<core::CloudInstance>> get_instance(const std::string& project,
                                                          const std::string& zone,
                                                          const std::string& name) override;
  Result<std::vector<core::CloudInstance>> list_instances(
      const std::string& project, const std::map<std::string, std::string>& labels) override;
  Result<core::CloudOperation> delete_instance(const std::string& project, const std::string& zone,
                                               const std::string& name,
                                               const std::string& request_id) override;
  Result<core::CloudOperation> stop_instance(const std::string& project, const std::string& zone,
                                             const std::string& name,
                                             const std::string& request_id) override;
  Result<core::CloudOperation> start_instance(const std::string& project, const std::string& zone,
                                              const std::string& name,
                                              const std::string& request_id) override;
  Result<core::CloudOperation> wait_operation(const std::string& project, const std::string& zone,
                                              const std::string& operation) override;
  Result<core::CloudSerialOutput> serial_output(const std::string& project, const std::string& zone,
                                                const std::string& name, int64_t start) override;

 private:
  // "<prefix>projects/<project>/<path>", each segment of the path given already encoded.
  [[nodiscard]] std::string target(const std::string& project, const std::string& path) const;
  // The answer's JSON object; a refusal becomes compute_error's Error.
  Result<nlohmann::json> call(const ComputeRequest& request, const std::string& project,
                              const std::string& what);
  // Every item of every page of a (plain or aggregated) list at `path` (its query, if any,
  // given in `query`), `kind` naming an aggregated list's entries.
  Result<std::vector<nlohmann::json>> list_all(const std::string& project, const std::string& path,
                                               const std::string& query, const std::string& kind,
                                               const std::string& what);
  // delete, stop, start: a request with ?requestId whose answer is an operation.
  Result<core::CloudOperation> instance_operation(core::HttpMethod method,
                                                  const std::string& project,
                                                  const std::string& zone, const std::string& name,
                                                  const std::string& verb,
                                                  const std::string& request_id,
                                                  const std::string& what);

  ComputeCaller caller_;
  ComputeClientOptions options_;
};

// The Compute Engine filter selecting resources whose labels include all of `labels`:
// labels.a = "x" AND labels.b = "y".
std::string label_filter(const std::map<std::string, std::string>& labels);

// A random (version 4) UUID, for ?requestId: make one per intended change and pass the same
// one to every repeat of that change.
std::string new_request_id();

// The client the CLI uses: the endpoint from compute_endpoint(context) (gcloud's override or
// Google's), a transport from context.connect, and the real back-off. `tokens` must outlive
// the client.
Result<std::unique_ptr<core::CloudCompute>> make_compute_client(const AuthContext& context,
                                                                core::AccessTokenSource& tokens,
                                                                std::string quota_project);

}  // namespace deepdock::adapters::gcp
