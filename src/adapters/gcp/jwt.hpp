#pragma once
// JSON Web Tokens signed with RS256 (RSASSA-PKCS1-v1_5 over SHA-256, OpenSSL EVP), as the
// service-account grant needs them (api-reference B.3): base64url without padding.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::adapters::gcp {

// base64url (RFC 4648 section 5) without '=' padding, as JWTs use it.
std::string base64url_unpadded(std::string_view data);

// "<b64url(header)>.<b64url(claims)>.<b64url(signature)>", signed with the RSA private key
// in `private_key_pem` (PKCS#8 or PKCS#1 PEM). Errors (kInvalidInput) never quote the key.
Result<std::string> sign_jwt_rs256(const nlohmann::json& header, const nlohmann::json& claims,
                                   std::string_view private_key_pem);

}  // namespace deepdock::adapters::gcp
