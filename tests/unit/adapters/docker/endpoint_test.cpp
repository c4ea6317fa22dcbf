#include "adapters/docker/endpoint.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "util/sha256.hpp"

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(std::string(name));
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

// Computed here independently of sha256_hex, as the docker CLI names context directories.
std::string sha256_of(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "deepdock-endpoint-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    config_dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(config_dir_, ignored);
  }

  // A context as `docker context create` stores it.
  void make_context(const std::string& name, const std::string& host, bool skip_verify,
                    bool with_tls_files) {
    const std::string digest = sha256_of(name);
    write_file(config_dir_ / "contexts" / "meta" / digest / "meta.json",
               fmt::format(R"({{"Name":"{}","Metadata":{{}},"Endpoints":{{"docker":)"
                           R"({{"Host":"{}","SkipTLSVerify":{}}}}}}})",
                           name, host, skip_verify ? "true" : "false"));
    if (with_tls_files) {
      const fs::path tls = config_dir_ / "contexts" / "tls" / digest / "docker";
      write_file(tls / "ca.pem", "ca");
      write_file(tls / "cert.pem", "cert");
      write_file(tls / "key.pem", "key");
    }
  }

  fs::path config_dir_;
};

TEST_F(EndpointTest, DefaultsToTheLocalSocket) {
  auto endpoint = resolve_endpoint(env_of({}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->kind, EngineEndpoint::Kind::kUnix);
  EXPECT_EQ(endpoint->unix_path, "/var/run/docker.sock");
  EXPECT_EQ(endpoint->source, "default");
  EXPECT_EQ(endpoint->display(), "unix:///var/run/docker.sock");
}

TEST_F(EndpointTest, DockerHostUnixSocket) {
  auto endpoint =
      resolve_endpoint(env_of({{"DOCKER_HOST", "unix:///run/podman/podman.sock"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->kind, EngineEndpoint::Kind::kUnix);
  EXPECT_EQ(endpoint->unix_path, "/run/podman/podman.sock");
  EXPECT_EQ(endpoint->source, "DOCKER_HOST");
}

TEST_F(EndpointTest, DockerHostTcpIsPlainHttpWithoutTlsSettings) {
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://10.0.0.5:2375"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->kind, EngineEndpoint::Kind::kTcp);
  EXPECT_EQ(endpoint->url, "http://10.0.0.5:2375");
  EXPECT_FALSE(endpoint->tls);
  EXPECT_EQ(endpoint->display(), "tcp://10.0.0.5:2375");
}

TEST_F(EndpointTest, TcpWithTlsVerifyBecomesHttpsWithCertificatesFromCertPath) {
  const fs::path certs = config_dir_ / "certs";
  write_file(certs / "ca.pem", "ca");
  write_file(certs / "cert.pem", "cert");
  write_file(certs / "key.pem", "key");
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://build.example:2376"},
                                           {"DOCKER_TLS_VERIFY", "1"},
                                           {"DOCKER_CERT_PATH", certs.string()}}),
                                   config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://build.example:2376");
  EXPECT_TRUE(endpoint->tls);
  EXPECT_TRUE(endpoint->tls_verify);
  EXPECT_EQ(endpoint->ca_file, (certs / "ca.pem").string());
  EXPECT_EQ(endpoint->cert_file, (certs / "cert.pem").string());
  EXPECT_EQ(endpoint->key_file, (certs / "key.pem").string());
  EXPECT_EQ(endpoint->display(), "tcp://build.example:2376");
}

TEST_F(EndpointTest, TlsCertificatesDefaultToTheConfigDirectory) {
  write_file(config_dir_ / "ca.pem", "ca");
  auto endpoint = resolve_endpoint(
      env_of({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS_VERIFY", "1"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->ca_file, (config_dir_ / "ca.pem").string());
  EXPECT_EQ(endpoint->cert_file, "");
}

TEST_F(EndpointTest, TcpWithoutPortGetsTheSchemeDefault) {
  auto plain = resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://h"}}), config_dir_);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->url, "http://h:2375");
  auto tls = resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://h"}, {"DOCKER_TLS_VERIFY", "1"}}),
                              config_dir_);
  ASSERT_TRUE(tls.has_value());
  EXPECT_EQ(tls->url, "https://h:2376");
}

TEST_F(EndpointTest, TcpKeepsIpv6AddressesAndBasePaths) {
  auto endpoint =
      resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://[::1]:2375/docker/"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://[::1]:2375/docker");
}

TEST_F(EndpointTest, DockerTlsAloneEncryptsWithoutVerifying) {
  auto endpoint =
      resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://h:2376"}, {"DOCKER_TLS", "1"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_TRUE(endpoint->tls);
  EXPECT_FALSE(endpoint->tls_verify);
}

TEST_F(EndpointTest, CertPathThatIsNotADirectoryIsInvalid) {
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_HOST", "tcp://h:2376"},
                                           {"DOCKER_TLS_VERIFY", "1"},
                                           {"DOCKER_CERT_PATH", "/nonexistent/certs"}}),
                                   config_dir_);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(endpoint.error().message.find("DOCKER_CERT_PATH"), std::string::npos);
}

TEST_F(EndpointTest, SshHostKeepsTheUrl) {
  auto endpoint =
      resolve_endpoint(env_of({{"DOCKER_HOST", "ssh://whale@203.0.113.7:2222"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->kind, EngineEndpoint::Kind::kSsh);
  EXPECT_EQ(endpoint->url, "ssh://whale@203.0.113.7:2222");
  EXPECT_EQ(endpoint->display(), "ssh://whale@203.0.113.7:2222");
}

TEST_F(EndpointTest, MalformedDockerHostValuesAreInvalidAndNameTheVariable) {
  for (const std::string value : {"localhost:2375", "tcp://h:99999", "tcp://h:port",
                                  "unix://relative/docker.sock", "npipe:////./pipe/docker_engine",
                                  "http://h:2375", "ssh://", "ssh://@h", "tcp://h:2375?x=1"}) {
    auto endpoint = resolve_endpoint(env_of({{"DOCKER_HOST", value}}), config_dir_);
    ASSERT_FALSE(endpoint.has_value()) << value;
    EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidInput) << value;
    EXPECT_NE(endpoint.error().message.find("DOCKER_HOST"), std::string::npos) << value;
    EXPECT_NE(endpoint.error().message.find(value), std::string::npos) << value;
    EXPECT_NE(endpoint.error().hint.find("unix://"), std::string::npos) << value;
  }
}

TEST_F(EndpointTest, ContextNamedByDockerContextWithTlsFiles) {
  make_context("remote", "tcp://build.example:2376", false, true);
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "remote"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://build.example:2376");
  EXPECT_TRUE(endpoint->tls);
  EXPECT_TRUE(endpoint->tls_verify);
  const fs::path tls = config_dir_ / "contexts" / "tls" / sha256_of("remote") / "docker";
  EXPECT_EQ(endpoint->ca_file, (tls / "ca.pem").string());
  EXPECT_EQ(endpoint->cert_file, (tls / "cert.pem").string());
  EXPECT_EQ(endpoint->key_file, (tls / "key.pem").string());
  EXPECT_EQ(endpoint->source, "docker context \"remote\"");
}

TEST_F(EndpointTest, CurrentContextFromConfigJson) {
  make_context("gpu-box", "ssh://me@gpu-box", false, false);
  write_file(config_dir_ / "config.json", R"({"auths":{},"currentContext":"gpu-box"})");
  auto endpoint = resolve_endpoint(env_of({}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->kind, EngineEndpoint::Kind::kSsh);
  EXPECT_EQ(endpoint->url, "ssh://me@gpu-box");
  EXPECT_EQ(endpoint->source, "docker context \"gpu-box\"");
}

TEST_F(EndpointTest, ContextWithSkipTlsVerifyAndNoFilesIsUnverifiedHttps) {
  make_context("lab", "tcp://lab:2376", true, false);
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "lab"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://lab:2376");
  EXPECT_FALSE(endpoint->tls_verify);
}

TEST_F(EndpointTest, ContextWithoutTlsIsPlainHttp) {
  make_context("plain", "tcp://plain:2375", false, false);
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "plain"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://plain:2375");
  EXPECT_FALSE(endpoint->tls);
}

TEST_F(EndpointTest, DockerHostWinsOverContexts) {
  make_context("remote", "tcp://build.example:2376", false, true);
  auto endpoint = resolve_endpoint(
      env_of({{"DOCKER_HOST", "unix:///tmp/d.sock"}, {"DOCKER_CONTEXT", "remote"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_EQ(endpoint->unix_path, "/tmp/d.sock");
}

TEST_F(EndpointTest, DockerContextWinsOverConfigAndDefaultMeansNoContext) {
  make_context("remote", "tcp://build.example:2376", false, false);
  write_file(config_dir_ / "config.json", R"({"currentContext":"remote"})");
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "default"}}), config_dir_);
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_EQ(endpoint->source, "default");
  EXPECT_EQ(endpoint->unix_path, "/var/run/docker.sock");
}

TEST_F(EndpointTest, UnknownContextIsNotFoundWithAHint) {
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "ghost"}}), config_dir_);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kNotFound);
  EXPECT_NE(endpoint.error().message.find("ghost"), std::string::npos);
  EXPECT_NE(endpoint.error().hint.find("docker context ls"), std::string::npos);
}

TEST_F(EndpointTest, MalformedConfigJsonIsInvalidAndNamesTheFile) {
  write_file(config_dir_ / "config.json", "{not json");
  auto endpoint = resolve_endpoint(env_of({}), config_dir_);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(endpoint.error().message.find("config.json"), std::string::npos);
}

TEST_F(EndpointTest, ContextWithMalformedHostNamesTheContext) {
  make_context("bad", "tcp://bad:notaport", false, false);
  auto endpoint = resolve_endpoint(env_of({{"DOCKER_CONTEXT", "bad"}}), config_dir_);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(endpoint.error().message.find("docker context \"bad\""), std::string::npos);
}

TEST(DockerConfigDirTest, DockerConfigWinsOverHome) {
  EXPECT_EQ(docker_config_dir(env_of({{"DOCKER_CONFIG", "/etc/dc"}, {"HOME", "/home/u"}})),
            fs::path("/etc/dc"));
  EXPECT_EQ(docker_config_dir(env_of({{"HOME", "/home/u"}})), fs::path("/home/u/.docker"));
}

TEST(DockerConfigDirTest, ProcessEnvReadsTheEnvironment) {
  ::setenv("DEEPDOCK_ENDPOINT_TEST_VAR", "value-1", 1);
  EXPECT_EQ(process_env()("DEEPDOCK_ENDPOINT_TEST_VAR"), std::optional<std::string>("value-1"));
  ::unsetenv("DEEPDOCK_ENDPOINT_TEST_VAR");
  EXPECT_EQ(process_env()("DEEPDOCK_ENDPOINT_TEST_VAR"), std::nullopt);
}

TEST(Sha256Test, MatchesTheStandardTestVector) {
  EXPECT_EQ(util::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace deepdock::adapters::docker
