#include "adapters/gcp/token_endpoint.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kTokenRequestTimeout{30};
constexpr std::chrono::seconds kConnectTimeout{10};
// When an answer gives no lifetime, assume a short one rather than the usual hour.
constexpr std::chrono::seconds kAssumedLifetime{300};

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "[::1]" || util::starts_with_icase(host, "127.");
}

std::string string_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

}  // namespace

Result<EndpointUrl> split_endpoint_url(std::string_view url) {
  const size_t scheme_end = url.find("://");
  const std::string scheme =
      scheme_end == std::string_view::npos ? "" : util::to_lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the token endpoint \"{}\" is not an http(s) URL", url));
  }
  const size_t host_start = scheme_end + 3;
  const size_t path_start = url.find_first_of("/?", host_start);
  const std::string_view authority = url.substr(
      host_start, path_start == std::string_view::npos ? url.npos : path_start - host_start);
  if (authority.empty()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the token endpoint \"{}\" has no host", url));
  }
  std::string_view host = authority;
  if (host.front() != '[') {
    host = host.substr(0, host.find(':'));
  } else if (const size_t close = host.find(']'); close != std::string_view::npos) {
    host = host.substr(0, close + 1);
  }
  if (scheme == "http" && !is_loopback_host(host)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the token endpoint \"{}\" is plain http to a host that is not this "
                            "machine",
                            url),
                "use https: credentials must not cross a network unencrypted");
  }
  const std::string_view rest =
      path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  // A query without a path ("https://host?x") asks for "/?x".
  std::string target = rest.empty() || rest.front() == '?' ? "/" : "";
  target += rest;
  return EndpointUrl{fmt::format("{}://{}", scheme, authority), std::move(target)};
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) {
      body += '&';
    }
    body += util::url_encode(name);
    body += '=';
    body += util::url_encode(value);
  }
  return body;
}

Result<core::AccessToken> parse_token_answer(std::string_view body,
                                             std::chrono::system_clock::time_point now,
                                             std::string_view from) {
  const json answer = json::parse(body, nullptr, false);
  const std::string token = answer.is_object() ? string_field(answer, "access_token") : "";
  if (token.empty()) {
    return fail(ErrorCode::kUnavailable, fmt::format("{} answered without an access token", from),
                "try again; if it persists, run `deepdock doctor`");
  }
  util::register_secret(token);
  std::chrono::seconds lifetime = kAssumedLifetime;
  if (const auto found = answer.find("expires_in"); found != answer.end()) {
    if (found->is_number_integer()) {
      lifetime = std::chrono::seconds(found->get<int64_t>());
    } else if (found->is_string()) {
      lifetime = std::chrono::seconds(std::strtoll(found->get<std::string>().c_str(), nullptr, 10));
    }
  }
  return core::AccessToken{token, now + lifetime, std::string(from)};
}

Result<core::AccessToken> request_token(const AuthContext& context, const TokenGrant& grant) {
  TRY_ASSIGN(const EndpointUrl url, split_endpoint_url(grant.token_uri));
  const std::string form = form_encode(grant.form);
  // The form holds the assertion or the refresh token: mask it wherever it might surface.
  util::register_secret(form);
  core::HttpRequest request;
  request.method = core::HttpMethod::kPost;
  request.target = url.target;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = form;
  request.timeout = kTokenRequestTimeout;
  request.retryable = true;  // each grant yields a fresh token: repeating it is harmless
  log::debug("gcp auth: requesting an access token for {} from {}", grant.credential,
             grant.token_uri);
  const std::unique_ptr<core::HttpTransport> transport = context.connect(url.base, kConnectTimeout);
  const auto now = context.now();
  auto response = transport->send(request);
  if (!response) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("cannot reach the token endpoint {} for {}: {}", grant.token_uri,
                            grant.credential, response.error().message),
                "check the network connection and any proxy settings, then try again");
  }
  if (response->ok()) {
    return parse_token_answer(response->body, now, grant.credential);
  }
  const json answer = json::parse(response->body, nullptr, false);
  const std::string error = answer.is_object() ? string_field(answer, "error") : "";
  const std::string description =
      answer.is_object() ? string_field(answer, "error_description") : "";
  const std::string subtype = answer.is_object() ? string_field(answer, "error_subtype") : "";
  std::string reason = error.empty() ? fmt::format("HTTP {}", response->status)
                                     : fmt::format("HTTP {} {}", response->status, error);
  if (!description.empty()) {
    reason += ": " + description;
  }
  reason = util::redact(reason);
  if (response->status >= 500 || response->status == 429 || response->status == 408) {
    return fail(ErrorCode::kUnavailable,
                fmt::format("the token endpoint {} failed for {} ({})", grant.token_uri,
                            grant.credential, reason),
                "try again in a minute");
  }
  if (subtype == "invalid_rapt") {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("Google asks {} to sign in again ({})", grant.credential, reason),
                "run `gcloud auth application-default login`");
  }
  return fail(ErrorCode::kPermissionDenied,
              fmt::format("the token endpoint {} refused {} ({})", grant.token_uri,
                          grant.credential, reason),
              grant.relogin_hint);
}

}  // namespace deepdock::adapters::gcp
