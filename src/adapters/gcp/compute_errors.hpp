#pragma once
// What Compute Engine's refusals mean for deepdock: which are worth another try, and the
// Error (code, message, what to do) of one that is final. The API's own reason and message
// stay in the text, so nothing it said is lost.

#include <string_view>

#include "adapters/gcp/compute_json.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// 429, any 5xx, and a 403 whose reason is a rate limit (rateLimitExceeded,
// userRateLimitExceeded): Google's "slow down", which passes.
bool is_transient(const GoogleError& error);

// Where a refusal happened, for its message and hint.
struct ComputeCallSite {
  std::string_view what;         // "getting instance gpu-1 in us-west1-b of project p"
  std::string_view project;      // p
  std::string_view credentials;  // AccessTokenSource::describe(), no secret in it
};

// 404 kNotFound, 401 and 403 kPermissionDenied (with the fix: sign in again, enable the API,
// grant a role, check the project), 400 kInvalidInput, 409 and 412 kConflict, 429 and 5xx
// kUnavailable, anything else kFailure.
Error compute_error(const GoogleError& error, const ComputeCallSite& site);

}  // namespace deepdock::adapters::gcp
