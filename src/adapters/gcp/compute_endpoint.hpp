#pragma once
// Where the Compute Engine API answers: https://compute.googleapis.com/compute/v1/, unless
// gcloud's override points elsewhere (CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE, else the
// configuration's [api_endpoint_overrides] compute). One setting thus points both gcloud and
// deepdock at the same server, such as the test emulator.

#include <string>
#include <string_view>

#include "adapters/gcp/auth_context.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

inline constexpr std::string_view kComputeApiUrl = "https://compute.googleapis.com/compute/v1/";

// The API's URL split the way a transport takes it.
struct ComputeEndpoint {
  std::string base;         // "https://compute.googleapis.com": what the transport is bound to
  std::string path_prefix;  // "/compute/v1/": every request's target starts with it
  std::string origin;       // where the URL came from, for messages: "the default", a variable...
};

// Splits "scheme://host[:port]/path/": the path gets a trailing slash when it lacks one, and
// plain http is accepted for loopback hosts only (an access token never crosses a network in
// the clear).
Result<ComputeEndpoint> split_compute_url(std::string_view url, std::string origin);

// The endpoint for this context: the override (from the environment or the gcloud
// configuration), else the default.
Result<ComputeEndpoint> compute_endpoint(const AuthContext& context);

}  // namespace deepdock::adapters::gcp
