#include "jwt_verify.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <memory>

#include "util/base64.hpp"

namespace deepdock::gcpemu {
namespace {

bool signature_valid(const std::string& pem, const std::string& signed_part,
                     const std::string& signature) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!key) {
    return false;
  }
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

JwtCheck fail(const std::string& why) {
  return {false, why, {}};
}

}  // namespace

JwtCheck verify_jwt(const std::string& jwt, const std::vector<ServiceAccountSpec>& accounts,
                    const std::vector<std::string>& audiences, std::time_t now) {
  const auto first = jwt.find('.');
  const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos) {
    return fail("Invalid JWT: not three dot-separated parts.");
  }
  const auto header_text = util::base64_decode(jwt.substr(0, first));
  const auto claims_text = util::base64_decode(jwt.substr(first + 1, second - first - 1));
  const auto signature = util::base64_decode(jwt.substr(second + 1));
  if (!header_text || !claims_text || !signature) {
    return fail("Invalid JWT: a part is not base64url.");
  }
  const auto header = nlohmann::json::parse(*header_text, nullptr, false);
  auto claims = nlohmann::json::parse(*claims_text, nullptr, false);
  if (!header.is_object() || !claims.is_object()) {
    return fail("Invalid JWT: a part is not a JSON object.");
  }
  if (header.value("alg", "") != "RS256") {
    return fail("Invalid JWT: the algorithm must be RS256.");
  }
  const std::string issuer = claims.value("iss", "");
  const auto account = std::find_if(accounts.begin(), accounts.end(),
                                    [&](const ServiceAccountSpec& a) { return a.email == issuer; });
  if (account == accounts.end()) {
    return fail("Invalid JWT Signature.");  // Google's answer for an unknown key too
  }
  if (!signature_valid(account->public_key_pem, jwt.substr(0, second), *signature)) {
    return fail("Invalid JWT Signature.");
  }
  const std::string audience = claims.value("aud", "");
  if (std::find(audiences.begin(), audiences.end(), audience) == audiences.end()) {
    return fail("Invalid JWT: Failed audience check. The right audience is " +
                (audiences.empty() ? std::string("(none)") : audiences.front()));
  }
  const auto issued = claims.value("iat", std::int64_t{0});
  const auto expires = claims.value("exp", std::int64_t{0});
  if (expires <= now || issued > now + 60 || expires - issued > 3600) {
    return fail(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
        "reasonable timeframe. Check your iat and exp values in the JWT claim.");
  }
  return {true, "", std::move(claims)};
}

}  // namespace deepdock::gcpemu
