#include "adapters/docker/registry_auth.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "util/base64.hpp"
#include "util/redact.hpp"

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

// Implements the credential-helper protocol's `get` for a few fixed registries.
constexpr std::string_view kHelperScript = R"(#!/bin/sh
[ "$1" = get ] || { echo "unsupported action $1"; exit 1; }
read -r server
case "$server" in
  registry.example.com)
    echo '{"ServerURL":"registry.example.com","Username":"bob","Secret":"helper-secret-1"}' ;;
  token.example.com)
    echo '{"ServerURL":"token.example.com","Username":"<token>","Secret":"identity-token-9"}' ;;
  us-docker.pkg.dev)
    echo '{"Secret":"ya29.access-token","Username":"_dcgcloud_token"}' ;;
  broken.example.com)
    echo 'You do not currently have an active account selected.'; exit 1 ;;
  garbage.example.com)
    echo 'not json at all' ;;
  *)
    echo 'credentials not found in native keychain'; exit 1 ;;
esac
)";

class RegistryAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "deepdock-auth-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    const fs::path bin = dir_ / "bin";
    fs::create_directories(bin);
    std::ofstream(bin / "docker-credential-fake") << kHelperScript;
    fs::permissions(bin / "docker-credential-fake", fs::perms::owner_all);
    const char* path = std::getenv("PATH");
    old_path_ = path != nullptr ? path : "";
    ::setenv("PATH", (bin.string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override {
    ::setenv("PATH", old_path_.c_str(), 1);
    util::clear_registered_secrets();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void write_config(const std::string& json) { std::ofstream(dir_ / "config.json") << json; }

  Result<std::optional<RegistryCredentials>> lookup(std::string_view key) {
    return RegistryAuth(dir_).lookup(key);
  }

  fs::path dir_;
  std::string old_path_;
};

TEST_F(RegistryAuthTest, NoConfigFileMeansNoCredentials) {
  auto found = lookup("registry.example.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_FALSE(found->has_value());
}

TEST_F(RegistryAuthTest, InlineAuthIsDecodedAndItsSecretRedacted) {
  write_config(R"({"auths":{"registry.example.com:5000":{"auth":")" +
               util::base64_encode("alice:s3cr3t:pass") + R"("}}})");
  auto found = lookup("registry.example.com:5000");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "alice");
  EXPECT_EQ((*found)->password, "s3cr3t:pass");
  EXPECT_EQ((*found)->server_address, "registry.example.com:5000");
  EXPECT_EQ(util::redact("password is s3cr3t:pass"), "password is <redacted>");
}

TEST_F(RegistryAuthTest, AuthsKeysWithSchemeOrPathMatchTheBareHost) {
  write_config(R"({"auths":{"https://registry.example.com/v2/":{"auth":")" +
               util::base64_encode("carol:pw-123456") + R"("}}})");
  auto found = lookup("registry.example.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "carol");
}

TEST_F(RegistryAuthTest, DockerHubKeyMatchesExactly) {
  write_config(R"({"auths":{"https://index.docker.io/v1/":{"auth":")" +
               util::base64_encode("hubuser:hubpass-1") + R"("}}})");
  auto found = lookup("https://index.docker.io/v1/");
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "hubuser");
  EXPECT_EQ((*found)->server_address, "https://index.docker.io/v1/");
}

TEST_F(RegistryAuthTest, IdentityTokenEntry) {
  write_config(R"({"auths":{"registry.example.com":{"identitytoken":"refresh-token-77"}}})");
  auto found = lookup("registry.example.com");
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->identity_token, "refresh-token-77");
  EXPECT_EQ((*found)->password, "");
  EXPECT_EQ(util::redact("refresh-token-77"), "<redacted>");
}

TEST_F(RegistryAuthTest, MissingOrEmptyEntryMeansNoCredentials) {
  write_config(R"({"auths":{"other.example.com":{"auth":"eDp5"},"registry.example.com":{}}})");
  auto empty = lookup("registry.example.com");
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->has_value());
  auto missing = lookup("third.example.com");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(RegistryAuthTest, MalformedAuthIsInvalidInputNamingTheFile) {
  write_config(R"({"auths":{"registry.example.com":{"auth":"bm9jb2xvbg=="}}})");  // "nocolon"
  auto found = lookup("registry.example.com");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(found.error().message.find("config.json"), std::string::npos);
}

TEST_F(RegistryAuthTest, MalformedConfigIsInvalidInput) {
  write_config("{\"auths\": [");
  auto found = lookup("registry.example.com");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidInput);
}

TEST_F(RegistryAuthTest, CredHelperForTheRegistryIsAsked) {
  write_config(R"({"credHelpers":{"registry.example.com":"fake"},"auths":{"registry.example.com":)"
               R"({"auth":"dTpw"}}})");
  auto found = lookup("registry.example.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "bob");
  EXPECT_EQ((*found)->password, "helper-secret-1");
  EXPECT_EQ((*found)->server_address, "registry.example.com");
  EXPECT_EQ(util::redact("x helper-secret-1 y"), "x <redacted> y");
}

TEST_F(RegistryAuthTest, TokenUsernameFromAHelperMeansIdentityToken) {
  write_config(R"({"credHelpers":{"token.example.com":"fake"}})");
  auto found = lookup("token.example.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->identity_token, "identity-token-9");
  EXPECT_EQ((*found)->username, "");
  EXPECT_EQ((*found)->password, "");
}

TEST_F(RegistryAuthTest, GcloudStyleReplyWithoutServerUrlUsesTheKey) {
  write_config(R"({"credHelpers":{"us-docker.pkg.dev":"fake"}})");
  auto found = lookup("us-docker.pkg.dev");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->username, "_dcgcloud_token");
  EXPECT_EQ((*found)->password, "ya29.access-token");
  EXPECT_EQ((*found)->server_address, "us-docker.pkg.dev");
}

TEST_F(RegistryAuthTest, CredsStoreServesEveryRegistryAndNotFoundIsNoCredentials) {
  write_config(R"({"credsStore":"fake"})");
  auto found = lookup("registry.example.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_TRUE(found->has_value());
  auto missing = lookup("unknown.example.com");
  ASSERT_TRUE(missing.has_value()) << missing.error().message;
  EXPECT_FALSE(missing->has_value());
}

TEST_F(RegistryAuthTest, FailingHelperIsAnErrorCarryingItsMessage) {
  write_config(R"({"credsStore":"fake"})");
  auto found = lookup("broken.example.com");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kFailure);
  EXPECT_NE(found.error().message.find("active account"), std::string::npos);
  EXPECT_NE(found.error().message.find("docker-credential-fake"), std::string::npos);
}

TEST_F(RegistryAuthTest, HelperPrintingGarbageIsAnErrorThatDoesNotEchoIt) {
  write_config(R"({"credsStore":"fake"})");
  auto found = lookup("garbage.example.com");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().message.find("not json at all"), std::string::npos);
}

TEST_F(RegistryAuthTest, MissingHelperIsAPreconditionWithAHint) {
  write_config(R"({"credHelpers":{"registry.example.com":"deepdock-absent"}})");
  auto found = lookup("registry.example.com");
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kPrecondition);
  EXPECT_NE(found.error().message.find("docker-credential-deepdock-absent not found on PATH"),
            std::string::npos);
  EXPECT_NE(found.error().hint.find("install"), std::string::npos);
}

nlohmann::json decode_header(const std::string& value) {
  EXPECT_EQ(value.find_first_of("+/"), std::string::npos) << value;  // URL-safe alphabet
  const auto decoded = util::base64_decode(value);
  EXPECT_TRUE(decoded.has_value());
  return nlohmann::json::parse(decoded.value_or("null"));
}

TEST(RegistryAuthHeaderTest, NoCredentialsIsAnEmptyObject) {
  EXPECT_EQ(RegistryAuth::header_value(std::nullopt), "e30=");
}

TEST(RegistryAuthHeaderTest, PasswordCredentialsRoundTrip) {
  const RegistryCredentials credentials{"_dcgcloud_token", "ya29.?>?>~~token", "",
                                        "us-docker.pkg.dev"};
  const nlohmann::json json = decode_header(RegistryAuth::header_value(credentials));
  EXPECT_EQ(json, (nlohmann::json{{"username", "_dcgcloud_token"},
                                  {"password", "ya29.?>?>~~token"},
                                  {"serveraddress", "us-docker.pkg.dev"}}));
  util::clear_registered_secrets();
}

TEST(RegistryAuthHeaderTest, IdentityTokenCredentialsRoundTrip) {
  const RegistryCredentials credentials{"", "", "identity-token-9", "token.example.com"};
  const nlohmann::json json = decode_header(RegistryAuth::header_value(credentials));
  EXPECT_EQ(json, (nlohmann::json{{"identitytoken", "identity-token-9"},
                                  {"serveraddress", "token.example.com"}}));
  util::clear_registered_secrets();
}

TEST(RegistryAuthHeaderTest, BuildConfigHeaderMapsRegistriesToCredentials) {
  const nlohmann::json json = decode_header(RegistryAuth::config_header_value(
      {{"registry.example.com",
        RegistryCredentials{"u", "p-123456", "", "registry.example.com"}}}));
  EXPECT_EQ(json["registry.example.com"]["username"], "u");
  EXPECT_EQ(json["registry.example.com"]["password"], "p-123456");
  util::clear_registered_secrets();
}

TEST(RegistryKeyTest, NormalizesSchemeAndPath) {
  EXPECT_EQ(normalize_registry_key("https://Registry.Example.com:5000/v2/"),
            "registry.example.com:5000");
  EXPECT_EQ(normalize_registry_key("http://host"), "host");
  EXPECT_EQ(normalize_registry_key("host"), "host");
  EXPECT_EQ(normalize_registry_key("https://index.docker.io/v1/"), "index.docker.io");
}

}  // namespace
}  // namespace deepdock::adapters::docker
