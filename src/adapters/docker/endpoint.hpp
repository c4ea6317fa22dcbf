#pragma once
// Where the Docker engine is, found the way the docker CLI finds it: DOCKER_HOST, then the
// Docker context (DOCKER_CONTEXT or config.json's currentContext), then the default socket.
// The result remembers where it came from, so messages can say why deepdock talks to it.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::adapters::docker {

struct EngineEndpoint {
  enum class Kind { kUnix, kTcp, kSsh };
  Kind kind = Kind::kUnix;
  std::string unix_path;  // kUnix
  std::string url;  // kTcp: "http://host:2375" or "https://host:2376"; kSsh: "ssh://user@host:port"
  bool tls = false;
  std::string ca_file, cert_file, key_file;  // set only for files that exist
  bool tls_verify = true;
  std::string source;                         // "DOCKER_HOST", "docker context \"foo\"", "default"
  [[nodiscard]] std::string display() const;  // "unix:///var/run/docker.sock", "tcp://h:2376"
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

inline constexpr std::string_view kDefaultDockerSocket = "/var/run/docker.sock";

// Order (as the docker CLI): DOCKER_HOST; else DOCKER_CONTEXT or the currentContext in
// <config_dir>/config.json, whose endpoint is read from
// <config_dir>/contexts/meta/<sha256(name) hex>/meta.json (Endpoints.docker.Host,
// SkipTLSVerify) with TLS files in <config_dir>/contexts/tls/<sha256>/docker/; else
// unix:///var/run/docker.sock. The "default" context means no context. tcp:// becomes
// http:// or https:// (https when DOCKER_TLS_VERIFY is set, DOCKER_CERT_PATH is set or the
// context has TLS files). Malformed values are kInvalidInput naming their origin; a
// context that does not exist is kNotFound.
Result<EngineEndpoint> resolve_endpoint(const EnvLookup& env,
                                        const std::filesystem::path& docker_config_dir);

// $DOCKER_CONFIG or ~/.docker
std::filesystem::path docker_config_dir(const EnvLookup& env);

EnvLookup process_env();  // getenv-backed

// Parses one host value ("unix:///p", "tcp://h:p", "ssh://u@h:p") without TLS settings;
// `origin` names where it came from in error messages.
Result<EngineEndpoint> parse_docker_host(std::string_view value, std::string_view origin);

}  // namespace deepdock::adapters::docker
