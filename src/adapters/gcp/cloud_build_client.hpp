#pragma once
// CloudBuildClient: core::CloudBuild over the Cloud Build v1 REST API (builds.create, get,
// cancel; api-reference C.2) and Cloud Storage (StorageClient: the source bucket, the
// upload of the packed context, the log object). Every call carries the bearer token of an
// AccessTokenSource and is retried as service_call describes.
//
// connect_cloud_build finds both endpoints as gcloud does (service_endpoint: the
// CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDBUILD / _STORAGE variables, else the configuration's
// api_endpoint_overrides) and builds their transports through the AuthContext.

#include <memory>
#include <string>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/gcp/service_call.hpp"
#include "adapters/gcp/storage_client.hpp"
#include "core/ports/access_token_source.hpp"
#include "core/ports/cloud_build.hpp"

namespace deepdock::adapters::gcp {

ServiceInfo cloud_build_service_info();

class CloudBuildClient final : public core::CloudBuild {
 public:
  CloudBuildClient(std::unique_ptr<ServiceCaller> builds, std::unique_ptr<StorageClient> storage);

  Status ensure_bucket(const std::string& project, const std::string& bucket) override;
  Result<core::CloudStorageObject> upload_context(const core::BuildRequest& context,
                                                  const std::string& bucket,
                                                  const std::string& object) override;
  Result<core::CloudBuildInfo> create_build(const std::string& project,
                                            const core::CloudBuildSpec& spec) override;
  Result<core::CloudBuildInfo> get_build(const std::string& project,
                                         const std::string& id) override;
  Status cancel_build(const std::string& project, const std::string& id) override;
  Result<std::string> read_object(const std::string& bucket, const std::string& object,
                                  uint64_t offset) override;

 private:
  std::unique_ptr<ServiceCaller> builds_;
  std::unique_ptr<StorageClient> storage_;
};

struct CloudBuildConnection {
  std::string quota_project;  // sent as x-goog-user-project; "" for none
  BackoffSleep sleep;         // null: util::sleep_unless_cancelled
  RetrySchedule schedule;
};

// The client for this context's endpoints, with tokens from `tokens` (which must outlive
// it). Errors only for a malformed endpoint override or an unreadable gcloud configuration.
Result<std::unique_ptr<CloudBuildClient>> connect_cloud_build(
    const AuthContext& context, core::AccessTokenSource& tokens,
    const CloudBuildConnection& connection = {});

}  // namespace deepdock::adapters::gcp
