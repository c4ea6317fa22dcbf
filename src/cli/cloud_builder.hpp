#pragma once
// `build: cloudbuild` as `up` runs it: the environment image's context goes to Cloud Build
// in the session's project (app/cloud_build_image), its log lines and status changes are
// shown as `up`'s progress, and the pushed digest comes back for the target to pull.

#include <functional>
#include <memory>
#include <string>

#include "app/up_environment.hpp"
#include "cli/gcp_session.hpp"

namespace deepdock::cli {

using CloudBuildFunction = std::function<Result<std::string>(
    const core::BuildRequest& context, const std::string& image, app::UpObserver& observer)>;

// The function for UpDeps::cloud_build. The session must outlive it.
Result<CloudBuildFunction> cloud_builder(GcpSession& session);

}  // namespace deepdock::cli
