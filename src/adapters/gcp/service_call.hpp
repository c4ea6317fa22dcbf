#pragma once
// One call to a Google API other than Compute (Cloud Build, Cloud Storage), made as those
// APIs want it: a bearer token from the token source on every request (never logged), the
// quota project, and patience. 429 and 5xx answers and lost connections are tried again
// with exponential back-off and jitter (compute_call's schedule), but only where a repeat is
// harmless: a call marked kIdempotent, or any call that Google refused with 429 before doing
// anything. A 401 fetches the token again once. A streamed upload is reopened for each try.
//
// The transport's own retries are switched off (HttpRequest::retryable = false): this is the
// one place that decides. Refusals become Errors with Google's message and the fix
// (service_error).

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/gcp/compute_call.hpp"
#include "adapters/gcp/compute_json.hpp"
#include "core/ports/access_token_source.hpp"
#include "core/ports/http_transport.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// Which API, for messages and hints.
struct ServiceInfo {
  std::string title;    // "Cloud Storage"
  std::string service;  // "storage.googleapis.com": what `gcloud services enable` takes
  std::string role;     // "roles/storage.admin": what a 403 asks to grant
};

enum class Repeat {
  kIdempotent,   // GET, and writes whose repeat gives the same result (an upload by name)
  kOnlyRefused,  // builds.create: a second try could make a second build; 429 only
};

// Opens the body of a streamed upload afresh, for each try.
using BodyOpener = std::function<Result<core::BodySource>()>;

class ServiceCaller {
 public:
  ServiceCaller(std::unique_ptr<core::HttpTransport> transport, std::string root,
                core::AccessTokenSource& tokens, ServiceInfo info, std::string quota_project,
                BackoffSleep sleep, RetrySchedule schedule);

  // Sends `request`, its target below the endpoint's root ("/storage/v1/b/x"), with the
  // token; `open_body`, when set, supplies request.body_source for each try. Returns the
  // last answer, whatever its status, once no further try is due; an error when no answer
  // came (`what` names the call), no token could be had, or the back-off was cancelled.
  Result<core::HttpResponse> send(core::HttpRequest request, Repeat repeat, std::string_view what,
                                  const BodyOpener& open_body = {});

  // The Error of an answer that is not 2xx: `what` failed, Google's words, and the fix.
  [[nodiscard]] Error error(const core::HttpResponse& response, std::string_view what,
                            std::string_view project = {}) const;

  [[nodiscard]] const ServiceInfo& info() const { return info_; }
  [[nodiscard]] std::string endpoint() const { return transport_->endpoint() + root_; }

 private:
  Result<std::string> bearer(std::string_view what);

  std::unique_ptr<core::HttpTransport> transport_;
  std::string root_;
  core::AccessTokenSource& tokens_;
  ServiceInfo info_;
  std::string quota_project_;
  BackoffSleep sleep_;
  RetrySchedule schedule_;
};

// How a refusal of `info`'s API reads: 401 and 403 kPermissionDenied (sign in again; enable
// the API; grant `info.role`), an API not enabled kPrecondition, 404 kNotFound, 409
// kConflict, 400 kInvalidInput, 429 and 5xx kUnavailable.
Error service_error(const ServiceInfo& info, const GoogleError& error, std::string_view what,
                    std::string_view project, std::string_view credentials);

}  // namespace deepdock::adapters::gcp
