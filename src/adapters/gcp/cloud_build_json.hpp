#pragma once
// Cloud Build v1 JSON (api-reference C.2) to and from core::CloudBuild's values: the Build of
// builds.create (source from Cloud Storage, docker steps, images, the log written to a bucket
// with logging GCS_ONLY so it can be followed), and the Build that builds.get returns, also
// found as metadata.build in the Operation builds.create answers with.

#include <nlohmann/json.hpp>

#include "core/ports/cloud_build.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

nlohmann::json build_request_body(const core::CloudBuildSpec& spec);

// A Build resource; one without an id is an error.
Result<core::CloudBuildInfo> parse_build(const nlohmann::json& build);

// The Build inside builds.create's Operation (metadata.build).
Result<core::CloudBuildInfo> parse_build_operation(const nlohmann::json& operation);

}  // namespace deepdock::adapters::gcp
