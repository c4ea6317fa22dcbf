#include "adapters/gcp/jwt.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <vector>

#include "util/base64.hpp"

namespace deepdock::adapters::gcp {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// OpenSSL's reason for the last failure (its queue is cleared), for messages.
std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "unknown OpenSSL error";
  }
  std::vector<char> text(256);
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

Result<PkeyPtr> read_rsa_key(std::string_view pem) {
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    return fail(ErrorCode::kFailure, "cannot allocate an OpenSSL buffer for the private key");
  }
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the private key is not a readable PEM key ({})", openssl_reason()),
                "download a new JSON key for the service account");
  }
  if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return fail(ErrorCode::kInvalidInput, "the private key is not an RSA key, which RS256 needs",
                "download a new JSON key for the service account");
  }
  return key;
}

}  // namespace

std::string base64url_unpadded(std::string_view data) {
  std::string encoded = util::base64url_encode(data);
  while (!encoded.empty() && encoded.back() == '=') {
    encoded.pop_back();
  }
  return encoded;
}

Result<std::string> sign_jwt_rs256(const nlohmann::json& header, const nlohmann::json& claims,
                                   std::string_view private_key_pem) {
  TRY_ASSIGN(const auto key, read_rsa_key(private_key_pem));
  const std::string signing_input =
      base64url_unpadded(header.dump()) + "." + base64url_unpadded(claims.dump());
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return fail(ErrorCode::kFailure, fmt::format("cannot sign the JWT: {}", openssl_reason()));
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return fail(ErrorCode::kFailure, fmt::format("cannot sign the JWT: {}", openssl_reason()));
  }
  signature.resize(size);
  return signing_input + "." + base64url_unpadded(signature);
}

}  // namespace deepdock::adapters::gcp
