#include "cli/gcp_session.hpp"

#include <fmt/format.h>

#include "adapters/gcp/compute_client.hpp"
#include "adapters/gcp/gcloud_config.hpp"
#include "adapters/host/state_dir.hpp"
#include "adapters/http/curl_transport.hpp"
#include "core/gcp/zone_selection.hpp"

namespace deepdock::cli {
namespace {

adapters::gcp::TransportFactory curl_factory() {
  return [](const std::string& base_url,
            std::chrono::milliseconds connect_timeout) -> std::unique_ptr<core::HttpTransport> {
    adapters::http::TransportConfig config;
    config.base_url = base_url;
    config.connect_timeout = connect_timeout;
    return std::make_unique<adapters::http::CurlTransport>(config);
  };
}

}  // namespace

Result<std::unique_ptr<GcpSession>> open_gcp_session(const core::Spec& spec,
                                                     const std::string& origin) {
  auto session = std::make_unique<GcpSession>();
  session->token_cache = std::make_unique<adapters::host::StateDir>(
      adapters::host::StateDir::default_dir() / "gcp" / "tokens");
  session->state =
      std::make_unique<adapters::host::StateDir>(adapters::host::StateDir::default_dir());
  session->context.connect = curl_factory();
  session->context.local = &session->local;
  session->context.token_cache = session->token_cache.get();
  session->credentials = std::make_unique<adapters::gcp::DefaultCredentials>(session->context);
  TRY(session->credentials->resolve());

  TRY_ASSIGN(const adapters::gcp::GcloudConfig config,
             adapters::gcp::read_gcloud_config(session->context));
  if (config.zone) {
    session->zone = config.zone->value;
  }
  session->region = config.region
                        ? config.region->value
                        : (session->zone.empty() ? "" : core::region_of_zone(session->zone));

  if (!spec.target.gcp.project.empty()) {
    session->project = spec.target.gcp.project;
    session->project_origin = origin;
  } else {
    TRY_ASSIGN(const auto found, session->credentials->project());
    if (!found) {
      return fail(ErrorCode::kPrecondition,
                  fmt::format("{} targets Google Cloud and names no project, and none is set "
                              "in the environment, the credentials or the gcloud configuration",
                              origin),
                  "set `target: {kind: gcp, gcp: {project: MY-PROJECT}}`, or run `gcloud config "
                  "set project MY-PROJECT`");
    }
    session->project = found->value;
    session->project_origin = found->origin;
  }
  TRY_ASSIGN(session->compute,
             adapters::gcp::make_compute_client(session->context, *session->credentials,
                                                session->credentials->quota_project()));
  return session;
}

}  // namespace deepdock::cli
