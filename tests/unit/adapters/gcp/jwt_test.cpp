#include "adapters/gcp/jwt.hpp"

#include <gtest/gtest.h>

#include "unit/adapters/gcp/gcp_auth_test_support.hpp"

namespace deepdock::adapters::gcp {
namespace {

using test::jwt_part;
using test::TestRsaKey;

TEST(JwtTest, Base64urlDropsPaddingAndUsesTheUrlAlphabet) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a", "YQ"}, {"ab", "YWI"}, {"abc", "YWJj"}, {"\xfb\xff", "-_8"}, {"", ""}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64url_unpadded(plain), encoded) << plain;
  }
}

TEST(JwtTest, SignedTokenCarriesHeaderAndClaimsAndVerifiesWithThePublicKey) {
  const TestRsaKey key;
  const nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "k1"}};
  const nlohmann::json claims = {{"iss", "a@b"}, {"iat", 1700000000}};
  auto jwt = sign_jwt_rs256(header, claims, key.private_pem());
  ASSERT_TRUE(jwt) << jwt.error().message;
  EXPECT_EQ(jwt->find('='), std::string::npos);
  EXPECT_EQ(jwt_part(*jwt, 0), header);
  EXPECT_EQ(jwt_part(*jwt, 1), claims);
  EXPECT_TRUE(key.verifies(*jwt));
  EXPECT_FALSE(TestRsaKey().verifies(*jwt)) << "another key must not verify it";
}

TEST(JwtTest, UnreadableKeyIsAnErrorThatDoesNotQuoteTheKey) {
  const std::string broken =
      "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----\n";
  auto jwt = sign_jwt_rs256({{"alg", "RS256"}}, {{"iss", "x"}}, broken);
  EXPECT_TRUE(test::fails_with(jwt, ErrorCode::kInvalidInput, "not a readable PEM key",
                               "download a new JSON key"));
  EXPECT_EQ(jwt.error().message.find("SECRETBITS"), std::string::npos);
}

TEST(JwtTest, NonRsaKeyIsRefused) {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, ec.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  auto jwt = sign_jwt_rs256({{"alg", "RS256"}}, {{"iss", "x"}}, pem);
  EXPECT_TRUE(test::fails_with(jwt, ErrorCode::kInvalidInput, "not an RSA key"));
}

}  // namespace
}  // namespace deepdock::adapters::gcp
