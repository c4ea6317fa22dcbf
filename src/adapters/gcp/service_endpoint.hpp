#pragma once
// Where a Google API other than Compute answers (Cloud Build, Cloud Storage): its public URL,
// unless gcloud's override for it points elsewhere: CLOUDSDK_API_ENDPOINT_OVERRIDES_<API>,
// else the active configuration's [api_endpoint_overrides] <api>. So one setting points
// gcloud and deepdock at the same server, such as the test emulator.
//
// gcloud's override values carry the API's version path for some APIs
// ("https://storage.googleapis.com/storage/v1/") and not for others
// ("https://cloudbuild.googleapis.com/"); both forms are accepted here, and what is left is
// the root the API's own paths go below.

#include <string>
#include <string_view>

#include "adapters/gcp/auth_context.hpp"
#include "util/error.hpp"

namespace deepdock::adapters::gcp {

struct ServiceUrl {
  std::string_view api;           // gcloud's name of the API: "cloudbuild", "storage"
  std::string_view default_root;  // "https://cloudbuild.googleapis.com/"
  std::string_view version_path;  // what an override may end with: "v1/", "storage/v1/"
};

inline constexpr ServiceUrl kCloudBuildUrl{"cloudbuild", "https://cloudbuild.googleapis.com/",
                                           "v1/"};
inline constexpr ServiceUrl kStorageUrl{"storage", "https://storage.googleapis.com/",
                                        "storage/v1/"};

struct ServiceEndpoint {
  std::string base;    // "https://storage.googleapis.com": what a transport is bound to
  std::string root;    // "" or "/prefix": the API's paths ("/storage/v1/b/...") follow it
  std::string origin;  // "the default", "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", ...
};

// Splits an override (or the default) as described above. Plain http is accepted for
// loopback hosts only: an access token never crosses a network in the clear.
Result<ServiceEndpoint> split_service_url(const ServiceUrl& service, std::string_view url,
                                          std::string origin);

// The endpoint of `service` for this context.
Result<ServiceEndpoint> service_endpoint(const AuthContext& context, const ServiceUrl& service);

}  // namespace deepdock::adapters::gcp
