#include "adapters/gcp/compute_endpoint.hpp"

#include <fmt/format.h>

#include "adapters/gcp/gcloud_config.hpp"
#include "adapters/gcp/token_endpoint.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {

Result<ComputeEndpoint> split_compute_url(std::string_view url, std::string origin) {
  auto split = split_endpoint_url(url);
  if (!split) {
    // The splitter speaks of token endpoints; this one is Compute's.
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("{} (set by {})",
                    util::replace_all(split.error().message, "the token endpoint",
                                      "the Compute Engine endpoint"),
                    origin),
        split.error().hint.empty()
            ? "set api_endpoint_overrides/compute to a URL such as " + std::string(kComputeApiUrl)
            : split.error().hint);
  }
  std::string prefix = split->target;
  if (const size_t query = prefix.find('?'); query != std::string::npos) {
    prefix.resize(query);
  }
  if (prefix.empty() || prefix.back() != '/') {
    prefix += '/';
  }
  return ComputeEndpoint{std::move(split->base), std::move(prefix), std::move(origin)};
}

Result<ComputeEndpoint> compute_endpoint(const AuthContext& context) {
  TRY_ASSIGN(const GcloudConfig config, read_gcloud_config(context));
  if (config.compute_endpoint) {
    return split_compute_url(config.compute_endpoint->value, config.compute_endpoint->origin);
  }
  return split_compute_url(kComputeApiUrl, "the default");
}

}  // namespace deepdock::adapters::gcp
