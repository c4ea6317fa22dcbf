#pragma once
// AccessTokenSource: where an OAuth 2.0 access token for Google Cloud comes from (a
// service-account key, a user's refresh token, the metadata server, gcloud). The real
// sources are adapters/gcp; the Compute and Cloud Build clients take this port.
//
// A token is a secret: it is never printed or logged, and sources register every token they
// hand out with util::register_secret so that a stray one is masked by util::redact.

#include <chrono>
#include <string>

#include "util/error.hpp"

namespace deepdock::core {

struct AccessToken {
  std::string value;  // sent as "Authorization: Bearer <value>"; never shown
  std::chrono::system_clock::time_point expires_at;
  std::string source;  // where it came from, for messages: "service account sa@p.iam..."
};

class AccessTokenSource {
 public:
  virtual ~AccessTokenSource() = default;
  // A token valid for at least a minute more, fetched or refreshed as needed. Errors say
  // what was tried and what to do (kPrecondition when no credentials are set up,
  // kPermissionDenied when they were refused, kUnavailable when a server did not answer).
  virtual Result<AccessToken> token() = 0;
  // What the tokens come from, without any secret: "service account sa@p.iam.gserviceaccount.com
  // (key /home/me/key.json)".
  [[nodiscard]] virtual std::string describe() const = 0;
};

}  // namespace deepdock::core
