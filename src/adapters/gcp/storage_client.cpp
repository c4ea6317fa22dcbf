#include "adapters/gcp/storage_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "adapters/docker/build_context.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kCallTimeout{60};
// An upload of a large context on a slow line: generous, but not unbounded.
constexpr std::chrono::minutes kUploadTimeout{30};

std::string string_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

}  // namespace

ServiceInfo storage_service_info() {
  return {"Cloud Storage", "storage.googleapis.com", "roles/storage.admin"};
}

StorageClient::StorageClient(std::unique_ptr<ServiceCaller> caller) : caller_(std::move(caller)) {}

Status StorageClient::ensure_bucket(const std::string& project, const std::string& bucket,
                                    std::string_view location) {
  const std::string what = fmt::format("looking up the bucket gs://{}", bucket);
  core::HttpRequest get;
  get.target = "/storage/v1/b/" + util::url_encode(bucket);
  get.timeout = kCallTimeout;
  TRY_ASSIGN(const core::HttpResponse found, caller_->send(get, Repeat::kIdempotent, what));
  if (found.ok()) {
    return {};
  }
  if (found.status == 403) {
    Error error = caller_->error(found, what, project);
    if (error.code != ErrorCode::kPermissionDenied) {
      return fail(std::move(error));  // the API is not enabled: its hint says how to
    }
    error.hint = fmt::format(
        "the bucket gs://{} exists but is not yours to use: either it belongs to another "
        "project, or the account needs roles/storage.admin in project {} (`gcloud projects "
        "add-iam-policy-binding {} --member=... --role=roles/storage.admin`)",
        bucket, project, project);
    return fail(std::move(error));
  }
  if (found.status != 404) {
    return fail(caller_->error(found, what, project));
  }
  const std::string create =
      fmt::format("creating the bucket gs://{} in project {}", bucket, project);
  core::HttpRequest insert;
  insert.method = core::HttpMethod::kPost;
  insert.target = "/storage/v1/b?project=" + util::url_encode(project);
  insert.headers = {{"Content-Type", "application/json"}};
  insert.body = json{{"name", bucket}, {"location", location}}.dump();
  insert.timeout = kCallTimeout;
  TRY_ASSIGN(const core::HttpResponse made, caller_->send(insert, Repeat::kOnlyRefused, create));
  if (made.ok()) {
    return {};
  }
  if (made.status == 409) {
    // Made meanwhile by another run (then the lookup now finds it), or a name another
    // project holds (buckets share one global namespace).
    TRY_ASSIGN(const core::HttpResponse again, caller_->send(get, Repeat::kIdempotent, what));
    if (again.ok()) {
      return {};
    }
    Error error = caller_->error(made, create, project);
    error.code = ErrorCode::kConflict;
    error.hint = fmt::format(
        "bucket names are global and gs://{} belongs to another project; name another "
        "project, or ask its owner",
        bucket);
    return fail(std::move(error));
  }
  return fail(caller_->error(made, create, project));
}

Result<core::CloudStorageObject> StorageClient::upload_file(const std::string& bucket,
                                                            const std::string& object,
                                                            const std::filesystem::path& file,
                                                            std::string_view content_type) {
  const std::string what = fmt::format("uploading {} to gs://{}/{}", file.string(), bucket, object);
  std::error_code error;
  const uint64_t size = std::filesystem::file_size(file, error);
  if (error) {
    return fail(ErrorCode::kFailure,
                fmt::format("{}: cannot read the file: {}", what, error.message()));
  }
  core::HttpRequest upload;
  upload.method = core::HttpMethod::kPost;
  upload.target = fmt::format("/upload/storage/v1/b/{}/o?uploadType=media&name={}",
                              util::url_encode(bucket), util::url_encode(object));
  upload.headers = {{"Content-Type", std::string(content_type)}};
  upload.body_size = size;
  upload.timeout = kUploadTimeout;
  // The same bytes under the same name: a repeat leaves the same object.
  TRY_ASSIGN(const core::HttpResponse response,
             caller_->send(
                 std::move(upload), Repeat::kIdempotent, what,
                 [file]() -> Result<core::BodySource> { return docker::file_body_source(file); }));
  if (!response.ok()) {
    return fail(caller_->error(response, what));
  }
  const json stored = json::parse(response.body, nullptr, false);
  if (!stored.is_object()) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("{}: Cloud Storage answered without the object's description", what),
                "try again; if it persists, check api_endpoint_overrides/storage");
  }
  core::CloudStorageObject result{bucket, object, string_field(stored, "generation")};
  if (const std::string name = string_field(stored, "name"); !name.empty()) {
    result.name = name;
  }
  return result;
}

Result<std::string> StorageClient::read_object(const std::string& bucket, const std::string& object,
                                               uint64_t offset) {
  const std::string what = fmt::format("reading gs://{}/{}", bucket, object);
  core::HttpRequest read;
  read.target = fmt::format("/storage/v1/b/{}/o/{}?alt=media", util::url_encode(bucket),
                            util::url_encode(object));
  if (offset > 0) {
    read.headers = {{"Range", fmt::format("bytes={}-", offset)}};
  }
  read.timeout = kCallTimeout;
  TRY_ASSIGN(core::HttpResponse response, caller_->send(read, Repeat::kIdempotent, what));
  if (response.status == 404 || response.status == 416) {
    return std::string();  // not written yet, or nothing past `offset`
  }
  if (!response.ok()) {
    return fail(caller_->error(response, what));
  }
  if (response.status == 206 || offset == 0) {
    return std::move(response.body);
  }
  // A server that ignored the Range sends the whole object.
  return offset >= response.body.size() ? std::string() : response.body.substr(offset);
}

}  // namespace deepdock::adapters::gcp
