#pragma once
// The registry credential helper: when the spec's registry is Google's (Artifact Registry,
// gcr.io), the host's docker clients, root's and the login user's, get `gcloud` as their
// credential helper for it, so the host itself (its startup script, a `docker pull` by
// hand) can pull from the private registry. deepdock's own pulls need none of this: they
// send the credentials of the machine deepdock runs on through the Engine API.

#include <string>
#include <string_view>
#include <vector>

#include "core/bootstrap/bootstrap_plan.hpp"

namespace deepdock::core {

// The registry's host: the part before the first '/' ("us-west1-docker.pkg.dev" of
// "us-west1-docker.pkg.dev/learning-deeply/envs", "127.0.0.1:5000" of "127.0.0.1:5000/envs").
std::string registry_host(std::string_view registry);

// Artifact Registry ("<location>-docker.pkg.dev", any "*.pkg.dev") and the gcr.io hosts
// (gcr.io, us., eu., asia., marketplace.gcr.io): those docker-credential-gcloud serves.
bool is_google_registry_host(std::string_view host);

// For a Google registry: "gcloud-cli" (the Google Cloud CLI, which brings
// docker-credential-gcloud, when the host lacks it) and "registry-credentials" (the
// credHelpers entry for root and the login user). None for "" or any other registry.
// The steps come without their hash; plan_bootstrap computes it.
std::vector<BootstrapStep> registry_credential_steps(const BootstrapHost& host,
                                                     const std::string& registry);

}  // namespace deepdock::core
