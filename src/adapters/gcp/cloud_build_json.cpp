#include "adapters/gcp/cloud_build_json.hpp"

#include <fmt/format.h>

#include <string>

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

std::string string_field(const json& object, std::string_view name) {
  if (!object.is_object()) {
    return {};
  }
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

}  // namespace

json build_request_body(const core::CloudBuildSpec& spec) {
  json storage = {{"bucket", spec.source.bucket}, {"object", spec.source.name}};
  if (!spec.source.generation.empty()) {
    storage["generation"] = spec.source.generation;
  }
  json steps = json::array();
  for (const core::CloudBuildStep& step : spec.steps) {
    steps.push_back({{"name", step.name}, {"args", step.args}});
  }
  // GCS_ONLY: the log goes to the bucket, where it can be read as it grows (with
  // CLOUD_LOGGING_ONLY there would be nothing to follow).
  json options = {{"logging", "GCS_ONLY"}};
  if (!spec.machine_type.empty()) {
    options["machineType"] = spec.machine_type;
  }
  json body = {{"source", {{"storageSource", storage}}},
               {"steps", steps},
               {"images", spec.images},
               {"timeout", fmt::format("{}s", spec.timeout.count())},
               {"options", options}};
  if (!spec.logs_bucket.empty()) {
    body["logsBucket"] = spec.logs_bucket;
  }
  return body;
}

Result<core::CloudBuildInfo> parse_build(const json& build) {
  core::CloudBuildInfo info;
  info.id = string_field(build, "id");
  if (info.id.empty()) {
    return fail(ErrorCode::kUnavailable, "Cloud Build answered with a build that has no id",
                "try again; if it persists, check api_endpoint_overrides/cloudbuild");
  }
  info.status = core::parse_cloud_build_status(string_field(build, "status"));
  info.status_detail = string_field(build, "statusDetail");
  if (info.status_detail.empty()) {
    // Newer builds explain a failure in failureInfo.detail.
    if (const auto found = build.find("failureInfo"); found != build.end()) {
      info.status_detail = string_field(*found, "detail");
    }
  }
  info.logs_bucket = string_field(build, "logsBucket");
  info.log_url = string_field(build, "logUrl");
  if (const auto results = build.find("results"); results != build.end() && results->is_object()) {
    if (const auto images = results->find("images");
        images != results->end() && images->is_array()) {
      for (const json& image : *images) {
        info.images.push_back({string_field(image, "name"), string_field(image, "digest")});
      }
    }
  }
  return info;
}

Result<core::CloudBuildInfo> parse_build_operation(const json& operation) {
  if (operation.is_object()) {
    if (const auto metadata = operation.find("metadata");
        metadata != operation.end() && metadata->is_object()) {
      if (const auto build = metadata->find("build"); build != metadata->end()) {
        return parse_build(*build);
      }
    }
  }
  return fail(ErrorCode::kUnavailable,
              "Cloud Build answered builds.create without the build (metadata.build)",
              "try again; if it persists, check api_endpoint_overrides/cloudbuild");
}

}  // namespace deepdock::adapters::gcp
