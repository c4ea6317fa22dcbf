#pragma once
// The OAuth 2.0 token endpoint (api-reference B.3, B.4): a form POST whose JSON answer holds
// the access token, or an error that is turned into a message with what to do.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/gcp/auth_context.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

// A URL split the way a transport takes it: the base it is bound to and the request target.
struct EndpointUrl {
  std::string base;    // "https://oauth2.googleapis.com"
  std::string target;  // "/token"
};

// Splits an http(s) URL. Plain http is accepted only for loopback hosts (test servers), so a
// signed assertion or a refresh token never crosses a network in the clear.
Result<EndpointUrl> split_endpoint_url(std::string_view url);

// application/x-www-form-urlencoded, each name and value percent-encoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// What the token request is for, for messages and hints.
struct TokenGrant {
  std::string token_uri;
  std::vector<std::pair<std::string, std::string>> form;
  std::string credential;    // "the service account sa@p.iam.gserviceaccount.com"
  std::string relogin_hint;  // what to do when the endpoint refuses the credential
};

// POSTs the grant and reads {"access_token","expires_in"}. The token is registered for
// redaction. Refusals (400/401 invalid_grant, invalid_rapt) are kPermissionDenied with the
// grant's hint; 5xx and transport failures are kUnavailable.
Result<core::AccessToken> request_token(const AuthContext& context, const TokenGrant& grant);

// Reads a token answer ({"access_token":..., "expires_in":...}) received at `now`; `from`
// names the server in messages.
Result<core::AccessToken> parse_token_answer(std::string_view body,
                                             std::chrono::system_clock::time_point now,
                                             std::string_view from);

}  // namespace deepdock::adapters::gcp
