#include "adapters/gcp/metadata_server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "adapters/gcp/token_endpoint.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

constexpr std::string_view kFlavorHeader = "Metadata-Flavor";
constexpr std::string_view kFlavor = "Google";
constexpr std::string_view kTokenPath =
    "/computeMetadata/v1/instance/service-accounts/default/token";
constexpr std::string_view kProjectPath = "/computeMetadata/v1/project/project-id";
constexpr std::chrono::seconds kRequestTimeout{10};
constexpr std::chrono::seconds kConnectTimeout{2};

core::HttpRequest metadata_request(std::string target, std::chrono::milliseconds timeout) {
  core::HttpRequest request;
  request.target = std::move(target);
  request.headers = {{std::string(kFlavorHeader), std::string(kFlavor)}};
  request.timeout = timeout;
  return request;
}

constexpr std::string_view kNoServiceAccountHint =
    "give the VM a service account with the cloud-platform scope, or set "
    "GOOGLE_APPLICATION_CREDENTIALS to a key file";

}  // namespace

MetadataAddresses metadata_addresses(const AuthContext& context) {
  MetadataAddresses addresses;
  const std::string host =
      context.getenv("GCE_METADATA_HOST")
          .value_or(context.getenv("GCE_METADATA_ROOT").value_or("metadata.google.internal"));
  addresses.api_base = "http://" + host;
  addresses.probe_base = "http://" + context.getenv("GCE_METADATA_IP").value_or("169.254.169.254");
  if (auto seconds = context.getenv("GCE_METADATA_TIMEOUT")) {
    const double value = std::strtod(seconds->c_str(), nullptr);
    if (value > 0) {
      addresses.probe_timeout = std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
    }
  }
  if (auto no_check = context.getenv("NO_GCE_CHECK")) {
    addresses.check_disabled = util::iequals(*no_check, "true") || *no_check == "1";
  }
  return addresses;
}

MetadataServer::MetadataServer(const AuthContext& context)
    : context_(context), addresses_(metadata_addresses(context)) {}

MetadataPresence MetadataServer::probe() const {
  if (addresses_.check_disabled) {
    return {false, "NO_GCE_CHECK is set"};
  }
  const auto transport = context_.connect(
      addresses_.probe_base,
      std::min<std::chrono::milliseconds>(addresses_.probe_timeout, std::chrono::seconds(1)));
  auto request = metadata_request("/", addresses_.probe_timeout);
  request.retryable = false;
  auto response = transport->send(request);
  if (!response) {
    return {false, fmt::format("no metadata server answered at {} ({})", addresses_.probe_base,
                               response.error().message)};
  }
  if (response->header(kFlavorHeader) != kFlavor) {
    return {false, fmt::format("{} answered without Metadata-Flavor: Google, so it is not a "
                               "metadata server",
                               addresses_.probe_base)};
  }
  return {true, {}};
}

Result<std::string> MetadataServer::get(const std::string& target, std::string_view what) const {
  const auto transport = context_.connect(addresses_.api_base, kConnectTimeout);
  auto response = transport->send(metadata_request(target, kRequestTimeout));
  if (!response) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("cannot read {} from the metadata server {}: {}", what,
                            addresses_.api_base, response.error().message),
                "try again; on a VM, check that the metadata server is reachable");
  }
  if (response->status == 404) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("the metadata server {} has no {} (HTTP 404): the VM has no service "
                            "account",
                            addresses_.api_base, what),
                std::string(kNoServiceAccountHint));
  }
  if (!response->ok()) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("the metadata server {} answered HTTP {} for {}", addresses_.api_base,
                            response->status, what),
                "try again; if it persists, set GOOGLE_APPLICATION_CREDENTIALS to a key file");
  }
  return std::move(response->body);
}

Result<core::AccessToken> MetadataServer::token() const {
  std::string target(kTokenPath);
  if (!context_.scopes.empty()) {
    target += "?scopes=" + util::url_encode(util::join(context_.scopes, ","));
  }
  const auto now = context_.now();
  TRY_ASSIGN(const std::string body, get(target, "a service-account token"));
  log::debug("gcp auth: access token from the metadata server {}", addresses_.api_base);
  return parse_token_answer(
      body, now, fmt::format("the VM's service account (metadata server {})", addresses_.api_base));
}

Result<std::string> MetadataServer::project_id() const {
  TRY_ASSIGN(std::string body, get(std::string(kProjectPath), "the project ID"));
  return std::string(util::trim(body));
}

std::string MetadataTokenSource::describe() const {
  return fmt::format("the VM's service account (metadata server {})", server_.addresses().api_base);
}

}  // namespace deepdock::adapters::gcp
