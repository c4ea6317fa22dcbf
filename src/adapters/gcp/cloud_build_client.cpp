#include "adapters/gcp/cloud_build_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/gcp/cloud_build_json.hpp"
#include "adapters/gcp/service_endpoint.hpp"
#include "adapters/gcp/source_archive.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kCallTimeout{60};
constexpr std::chrono::seconds kConnectTimeout{15};

std::string builds_path(const std::string& project) {
  return fmt::format("/v1/projects/{}/builds", util::url_encode(project));
}

}  // namespace

ServiceInfo cloud_build_service_info() {
  return {"Cloud Build", "cloudbuild.googleapis.com", "roles/cloudbuild.builds.editor"};
}

CloudBuildClient::CloudBuildClient(std::unique_ptr<ServiceCaller> builds,
                                   std::unique_ptr<StorageClient> storage)
    : builds_(std::move(builds)), storage_(std::move(storage)) {}

Status CloudBuildClient::ensure_bucket(const std::string& project, const std::string& bucket) {
  return storage_->ensure_bucket(project, bucket);
}

Result<core::CloudStorageObject> CloudBuildClient::upload_context(const core::BuildRequest& context,
                                                                  const std::string& bucket,
                                                                  const std::string& object) {
  TRY_ASSIGN(const docker::TempFile packed, pack_source_archive(context));
  log::debug("cloud build: the packed context is {} bytes", packed.size());
  return storage_->upload_file(bucket, object, packed.path(), "application/gzip");
}

Result<core::CloudBuildInfo> CloudBuildClient::create_build(const std::string& project,
                                                            const core::CloudBuildSpec& spec) {
  const std::string what = fmt::format("starting a build in project {}", project);
  core::HttpRequest create;
  create.method = core::HttpMethod::kPost;
  create.target = builds_path(project);
  create.headers = {{"Content-Type", "application/json"}};
  create.body = build_request_body(spec).dump();
  create.timeout = kCallTimeout;
  TRY_ASSIGN(const core::HttpResponse response,
             builds_->send(std::move(create), Repeat::kOnlyRefused, what));
  if (!response.ok()) {
    Error error = builds_->error(response, what, project);
    if (error.message.find("storage.objects.get") != std::string::npos) {
      error.hint = fmt::format(
          "Cloud Build's service account cannot read gs://{}: grant it roles/storage.objectViewer "
          "on the bucket",
          spec.source.bucket);
    }
    return fail(std::move(error));
  }
  return parse_build_operation(json::parse(response.body, nullptr, false));
}

Result<core::CloudBuildInfo> CloudBuildClient::get_build(const std::string& project,
                                                         const std::string& id) {
  const std::string what = fmt::format("reading build {} of project {}", id, project);
  core::HttpRequest get;
  get.target = builds_path(project) + "/" + util::url_encode(id);
  get.timeout = kCallTimeout;
  TRY_ASSIGN(const core::HttpResponse response, builds_->send(get, Repeat::kIdempotent, what));
  if (!response.ok()) {
    return fail(builds_->error(response, what, project));
  }
  return parse_build(json::parse(response.body, nullptr, false));
}

Status CloudBuildClient::cancel_build(const std::string& project, const std::string& id) {
  const std::string what = fmt::format("cancelling build {} of project {}", id, project);
  core::HttpRequest cancel;
  cancel.method = core::HttpMethod::kPost;
  cancel.target = builds_path(project) + "/" + util::url_encode(id) + ":cancel";
  cancel.headers = {{"Content-Type", "application/json"}};
  cancel.body = "{}";
  cancel.timeout = kCallTimeout;
  // Cancelling twice is cancelling once.
  TRY_ASSIGN(const core::HttpResponse response,
             builds_->send(std::move(cancel), Repeat::kIdempotent, what));
  if (!response.ok()) {
    return fail(builds_->error(response, what, project));
  }
  return {};
}

Result<std::string> CloudBuildClient::read_object(const std::string& bucket,
                                                  const std::string& object, uint64_t offset) {
  return storage_->read_object(bucket, object, offset);
}

Result<std::unique_ptr<CloudBuildClient>> connect_cloud_build(
    const AuthContext& context, core::AccessTokenSource& tokens,
    const CloudBuildConnection& connection) {
  TRY_ASSIGN(const ServiceEndpoint builds, service_endpoint(context, kCloudBuildUrl));
  TRY_ASSIGN(const ServiceEndpoint storage, service_endpoint(context, kStorageUrl));
  log::debug("cloud build: Cloud Build at {}{} ({}), Cloud Storage at {}{} ({})", builds.base,
             builds.root, builds.origin, storage.base, storage.root, storage.origin);
  auto caller = [&](const ServiceEndpoint& endpoint, ServiceInfo info) {
    return std::make_unique<ServiceCaller>(
        context.connect(endpoint.base, kConnectTimeout), endpoint.root, tokens, std::move(info),
        connection.quota_project, connection.sleep, connection.schedule);
  };
  return std::make_unique<CloudBuildClient>(
      caller(builds, cloud_build_service_info()),
      std::make_unique<StorageClient>(caller(storage, storage_service_info())));
}

}  // namespace deepdock::adapters::gcp
