// The emulator's OAuth token endpoint (jwt-bearer and refresh_token grants) and metadata
// server token path (api-reference B.3-B.5), and the tokens they issue being accepted.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "emulators/gcp/emulator_process.hpp"
#include "util/base64.hpp"

namespace deepdock::testing {
namespace {

using Json = nlohmann::json;

int zones_status(const EmulatorProcess& emulator, const std::string& token) {
  auto client = emulator.client(token);
  const auto res = client.Get("/compute/v1/projects/deepdock-test/zones");
  return res ? res->status : 0;
}

// A service account's key pair, made for the test; its public half goes in the scenario.
class TestKey {
 public:
  TestKey() : key_(EVP_RSA_gen(2048), EVP_PKEY_free) {}
  [[nodiscard]] std::string public_pem() const {
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), key_.get());
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<size_t>(size)};
  }
  // An RS256 JWT of these claims (api-reference B.3).
  [[nodiscard]] std::string jwt(const Json& claims) const {
    const std::string signed_part =
        encode(R"({"alg":"RS256","typ":"JWT"})") + "." + encode(claims.dump());
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      EVP_MD_CTX_free);
    size_t size = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
    const auto* data = reinterpret_cast<const unsigned char*>(signed_part.data());
    EVP_DigestSign(ctx.get(), nullptr, &size, data, signed_part.size());
    std::string signature(size, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                   signed_part.size());
    return signed_part + "." + encode(signature.substr(0, size));
  }

 private:
  static std::string encode(const std::string& data) {
    std::string text = util::base64url_encode(data);
    return text.substr(0, text.find('='));
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

TEST(GcpEmulatorOAuthTest, TokenEndpointIssuesTokensForSignedJwtsAndRefreshTokens) {
  const TestKey key;
  const std::filesystem::path dir =
      ::testing::TempDir() + "/gcpemu-oauth-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "sa.pem") << key.public_pem();
  std::ofstream(dir / "oauth.yaml")
      << "project: deepdock-test\nzones: [{name: us-west1-b}]\noauth:\n"
         "  service_accounts: [{email: sa@deepdock-test.iam.gserviceaccount.com, "
         "public_key_file: sa.pem}]\n  refresh_tokens: [1//refresh]\n";
  const EmulatorProcess emulator(dir / "oauth.yaml");
  ASSERT_TRUE(emulator.started());
  auto client = emulator.client("");
  const std::time_t now = std::time(nullptr);
  const Json claims = {{"iss", "sa@deepdock-test.iam.gserviceaccount.com"},
                       {"aud", "https://oauth2.googleapis.com/token"},
                       {"scope", "https://www.googleapis.com/auth/cloud-platform"},
                       {"iat", now},
                       {"exp", now + 3600}};
  const auto grant = [&](const std::string& assertion) {
    return client.Post(
        "/token", httplib::Params{{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                                  {"assertion", assertion}});
  };
  const auto issued = grant(key.jwt(claims));
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->status, 200) << issued->body;
  const std::string token = Json::parse(issued->body)["access_token"];
  EXPECT_EQ(zones_status(emulator, token), 200);

  const auto forged = grant(TestKey().jwt(claims));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 400);
  EXPECT_EQ(Json::parse(forged->body)["error_description"], "Invalid JWT Signature.");
  Json stale = claims;
  stale["exp"] = now - 10;
  EXPECT_EQ(grant(key.jwt(stale))->status, 400);

  const auto refreshed = client.Post("/token", httplib::Params{{"grant_type", "refresh_token"},
                                                               {"refresh_token", "1//refresh"},
                                                               {"client_id", "id"},
                                                               {"client_secret", "secret"}});
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->status, 200);
  EXPECT_EQ(Json::parse(refreshed->body)["token_type"], "Bearer");
  EXPECT_EQ(client
                .Post("/token", httplib::Params{{"grant_type", "refresh_token"},
                                                {"refresh_token", "revoked"}})
                ->status,
            400);

  const std::string metadata = "/computeMetadata/v1/instance/service-accounts/default/token";
  EXPECT_EQ(client.Get(metadata)->status, 403);
  const auto from_metadata = client.Get(metadata, {{"Metadata-Flavor", "Google"}});
  ASSERT_TRUE(from_metadata);
  EXPECT_EQ(from_metadata->get_header_value("Metadata-Flavor"), "Google");
  const std::string vm_token = Json::parse(from_metadata->body)["access_token"];
  EXPECT_EQ(zones_status(emulator, vm_token), 200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deepdock::testing
