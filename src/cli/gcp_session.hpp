#pragma once
// What a command needs to work on Google Cloud: the credentials (Application Default
// Credentials, then gcloud; tokens cached 0600 in the state directory), the project (the
// spec's, else the credentials' or the gcloud configuration's), the gcloud configuration's
// zone and region (preferred when the spec names no zones), and the Compute client, pointed
// where gcloud's `api_endpoint_overrides/compute` points (so one setting aims both at an
// emulator).

#include <memory>
#include <string>

#include "adapters/gcp/default_credentials.hpp"
#include "adapters/host/local_executor.hpp"
#include "core/ports/cloud_compute.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::cli {

struct GcpSession {
  adapters::host::LocalExecutor local;
  std::unique_ptr<core::StateStore> token_cache;
  std::unique_ptr<core::StateStore> state;  // deepdock's records: the VM, its address
  adapters::gcp::AuthContext context;
  std::unique_ptr<adapters::gcp::DefaultCredentials> credentials;
  std::unique_ptr<core::CloudCompute> compute;
  std::string project;
  std::string project_origin;  // "the spec", "GOOGLE_CLOUD_PROJECT", "gcloud configuration …"
  std::string zone;            // the gcloud configuration's, may be empty
  std::string region;          // likewise; from the zone when only it is set
};

// kPrecondition with how to set one when no project is named anywhere; a broken credentials
// file is an error here, missing credentials only at the first call.
Result<std::unique_ptr<GcpSession>> open_gcp_session(const core::Spec& spec,
                                                     const std::string& origin);

}  // namespace deepdock::cli
