#include "adapters/docker/endpoint.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAcceptedForms =
    "use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]";

// A DOCKER_HOST value taken apart; the tcp URL is built once TLS is known.
struct ParsedHost {
  EngineEndpoint::Kind kind = EngineEndpoint::Kind::kUnix;
  std::string unix_path;
  std::string host;  // tcp: host name or [v6 address]
  std::string port;  // tcp: empty = the default for the scheme
  std::string path;  // tcp: base path, e.g. "/docker"
  std::string ssh_url;
};

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool valid_port(std::string_view port) {
  return all_digits(port) && port.size() <= 5 && std::stoi(std::string(port)) >= 1 &&
         std::stoi(std::string(port)) <= 65535;
}

// Splits "host[:port]" (host may be "[v6]"); false when malformed.
bool split_host_port(std::string_view authority, std::string& host, std::string& port) {
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    host = std::string(authority.substr(0, close + 1));
    authority.remove_prefix(close + 1);
    if (authority.empty()) {
      return true;
    }
    if (authority.front() != ':') {
      return false;
    }
    port = std::string(authority.substr(1));
    return valid_port(port);
  }
  const size_t colon = authority.find(':');
  host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos) {
    port = std::string(authority.substr(colon + 1));
    return valid_port(port);
  }
  return true;
}

Result<ParsedHost> parse_host(std::string_view value, std::string_view origin) {
  const std::string original(value);
  auto invalid = [&](std::string_view why) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} has an invalid Docker host \"{}\": {}", origin, original, why),
                std::string(kAcceptedForms));
  };
  value = util::trim(value);
  const size_t separator = value.find("://");
  if (separator == std::string_view::npos) {
    return invalid("it has no scheme");
  }
  const std::string scheme = util::to_lower(value.substr(0, separator));
  const std::string_view rest = value.substr(separator + 3);
  ParsedHost parsed;
  if (scheme == "unix") {
    parsed.kind = EngineEndpoint::Kind::kUnix;
    parsed.unix_path = rest.empty() ? std::string(kDefaultDockerSocket) : std::string(rest);
    if (parsed.unix_path.front() != '/') {
      return invalid("the socket path must be absolute");
    }
    return parsed;
  }
  if (scheme == "tcp" || scheme == "ssh") {
    if (rest.find_first_of("?#") != std::string_view::npos) {
      return invalid("query strings and fragments are not allowed");
    }
    const size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    while (!path.empty() && path.back() == '/') {
      path.pop_back();
    }
    if (scheme == "ssh") {
      const size_t at = authority.rfind('@');
      if (at == 0) {
        return invalid("the user name before '@' is empty");
      }
      std::string host;
      std::string port;
      const std::string_view host_port =
          at == std::string_view::npos ? authority : authority.substr(at + 1);
      if (!split_host_port(host_port, host, port) || host.empty()) {
        return invalid("it needs a host and, optionally, a numeric port");
      }
      parsed.kind = EngineEndpoint::Kind::kSsh;
      parsed.ssh_url = fmt::format("ssh://{}{}", authority, path);
      return parsed;
    }
    parsed.kind = EngineEndpoint::Kind::kTcp;
    if (authority.find('@') != std::string_view::npos) {
      return invalid("tcp:// addresses take no user name");
    }
    if (!split_host_port(authority, parsed.host, parsed.port)) {
      return invalid("the port must be a number from 1 to 65535");
    }
    if (parsed.host.empty()) {
      parsed.host = "localhost";  // as the docker CLI does for "tcp://:2375"
    }
    parsed.path = std::move(path);
    return parsed;
  }
  if (scheme == "npipe") {
    return invalid("named pipes exist only on Windows");
  }
  return invalid(fmt::format("the scheme \"{}\" is not supported", scheme));
}

EngineEndpoint to_endpoint(const ParsedHost& parsed, bool tls) {
  EngineEndpoint endpoint;
  endpoint.kind = parsed.kind;
  switch (parsed.kind) {
    case EngineEndpoint::Kind::kUnix:
      endpoint.unix_path = parsed.unix_path;
      break;
    case EngineEndpoint::Kind::kTcp: {
      const std::string port = parsed.port.empty() ? (tls ? "2376" : "2375") : parsed.port;
      endpoint.url =
          fmt::format("{}://{}:{}{}", tls ? "https" : "http", parsed.host, port, parsed.path);
      endpoint.tls = tls;
      break;
    }
    case EngineEndpoint::Kind::kSsh:
      endpoint.url = parsed.ssh_url;
      break;
  }
  return endpoint;
}

std::optional<std::string> non_empty(const EnvLookup& env, std::string_view name) {
  auto value = env(name);
  if (value && !value->empty()) {
    return value;
  }
  return std::nullopt;
}

bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool dir_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// Fills the TLS file names from a directory holding ca.pem, cert.pem and key.pem.
Status read_tls_dir(const fs::path& dir, std::string_view origin, EngineEndpoint& endpoint) {
  if (file_exists(dir / "ca.pem")) {
    endpoint.ca_file = (dir / "ca.pem").string();
  }
  const bool cert = file_exists(dir / "cert.pem");
  const bool key = file_exists(dir / "key.pem");
  if (cert != key) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} ({}) has {} but not {}", origin, dir.string(),
                            cert ? "cert.pem" : "key.pem", cert ? "key.pem" : "cert.pem"),
                "a client certificate needs both cert.pem and key.pem");
  }
  if (cert) {
    endpoint.cert_file = (dir / "cert.pem").string();
    endpoint.key_file = (dir / "key.pem").string();
  }
  return {};
}

Result<nlohmann::json> read_json(const fs::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidInput, fmt::format("cannot read {} {}", what, path.string()),
                "check its permissions");
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} {} is not a valid JSON object", what, path.string()),
                "fix or remove the file");
  }
  return json;
}

Result<EngineEndpoint> from_docker_host(const EnvLookup& env, const std::string& host,
                                        const fs::path& config_dir) {
  TRY_ASSIGN(const ParsedHost parsed, parse_host(host, "DOCKER_HOST"));
  const auto verify = non_empty(env, "DOCKER_TLS_VERIFY");  // any non-empty value, as the CLI
  const auto tls_flag = non_empty(env, "DOCKER_TLS");
  const auto cert_path = non_empty(env, "DOCKER_CERT_PATH");
  const bool tls = parsed.kind == EngineEndpoint::Kind::kTcp &&
                   (verify.has_value() || tls_flag.has_value() || cert_path.has_value());
  EngineEndpoint endpoint = to_endpoint(parsed, tls);
  endpoint.source = "DOCKER_HOST";
  if (tls) {
    // DOCKER_TLS alone is the CLI's --tls: encrypt without checking the server's certificate.
    endpoint.tls_verify = verify.has_value() || !tls_flag.has_value();
    if (cert_path && !dir_exists(*cert_path)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("DOCKER_CERT_PATH={} is not a directory", *cert_path),
                  "point it at the directory holding ca.pem, cert.pem and key.pem, or unset it");
    }
    const fs::path dir = cert_path ? fs::path(*cert_path) : config_dir;
    TRY(read_tls_dir(dir, cert_path ? "DOCKER_CERT_PATH" : "the Docker config directory",
                     endpoint));
  }
  return endpoint;
}

Result<EngineEndpoint> from_context(const std::string& name, const fs::path& config_dir) {
  const std::string digest = util::sha256_hex(name);
  const fs::path meta_path = config_dir / "contexts" / "meta" / digest / "meta.json";
  const std::string origin = fmt::format("docker context \"{}\"", name);
  if (!file_exists(meta_path)) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{} not found (no {})", origin, meta_path.string()),
                "`docker context ls` lists the contexts; unset DOCKER_CONTEXT or run "
                "`docker context use default`");
  }
  TRY_ASSIGN(const nlohmann::json meta, read_json(meta_path, "the context file"));
  const auto endpoints = meta.find("Endpoints");
  const nlohmann::json* docker = nullptr;
  if (endpoints != meta.end() && endpoints->is_object()) {
    const auto found = endpoints->find("docker");
    if (found != endpoints->end() && found->is_object()) {
      docker = &*found;
    }
  }
  if (docker == nullptr || !docker->contains("Host") || !(*docker)["Host"].is_string()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} ({}) has no Endpoints.docker.Host", origin, meta_path.string()),
                "recreate it with `docker context create --docker host=...`");
  }
  TRY_ASSIGN(const ParsedHost parsed, parse_host((*docker)["Host"].get<std::string>(),
                                                 origin + " (" + meta_path.string() + ")"));
  bool skip_verify = false;
  if (const auto skip = docker->find("SkipTLSVerify");
      skip != docker->end() && skip->is_boolean()) {
    skip_verify = skip->get<bool>();
  }
  const fs::path tls_dir = config_dir / "contexts" / "tls" / digest / "docker";
  const bool has_tls_dir = dir_exists(tls_dir);
  const bool tls = parsed.kind == EngineEndpoint::Kind::kTcp && (has_tls_dir || skip_verify);
  EngineEndpoint endpoint = to_endpoint(parsed, tls);
  endpoint.source = origin;
  if (tls) {
    endpoint.tls_verify = !skip_verify;
    if (has_tls_dir) {
      TRY(read_tls_dir(tls_dir, origin, endpoint));
    }
  }
  return endpoint;
}

// The context named by DOCKER_CONTEXT or config.json; nullopt for none or "default".
Result<std::optional<std::string>> context_name(const EnvLookup& env, const fs::path& config_dir) {
  if (auto name = non_empty(env, "DOCKER_CONTEXT")) {
    return name == "default" ? std::nullopt : name;
  }
  const fs::path config = config_dir / "config.json";
  if (std::error_code error; !fs::exists(config, error)) {
    return std::optional<std::string>{};
  }
  TRY_ASSIGN(const nlohmann::json json, read_json(config, "the Docker config"));
  const auto current = json.find("currentContext");
  if (current == json.end() || current->is_null()) {
    return std::optional<std::string>{};
  }
  if (!current->is_string()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("currentContext in {} is not a string", config.string()),
                "set it to a context name, or remove it to use the default");
  }
  std::string name = current->get<std::string>();
  if (name.empty() || name == "default") {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>(std::move(name));
}

}  // namespace

std::string EngineEndpoint::display() const {
  switch (kind) {
    case Kind::kUnix:
      return "unix://" + unix_path;
    case Kind::kTcp: {
      const size_t separator = url.find("://");
      return "tcp://" + (separator == std::string::npos ? url : url.substr(separator + 3));
    }
    case Kind::kSsh:
      return url;
  }
  return url;
}

Result<EngineEndpoint> parse_docker_host(std::string_view value, std::string_view origin) {
  TRY_ASSIGN(const ParsedHost parsed, parse_host(value, origin));
  EngineEndpoint endpoint = to_endpoint(parsed, false);
  endpoint.source = std::string(origin);
  return endpoint;
}

Result<EngineEndpoint> resolve_endpoint(const EnvLookup& env,
                                        const std::filesystem::path& docker_config_dir) {
  if (auto host = non_empty(env, "DOCKER_HOST")) {
    return from_docker_host(env, *host, docker_config_dir);
  }
  TRY_ASSIGN(const std::optional<std::string> context, context_name(env, docker_config_dir));
  if (context) {
    return from_context(*context, docker_config_dir);
  }
  EngineEndpoint endpoint;
  endpoint.unix_path = std::string(kDefaultDockerSocket);
  endpoint.source = "default";
  return endpoint;
}

std::filesystem::path docker_config_dir(const EnvLookup& env) {
  if (auto dir = non_empty(env, "DOCKER_CONFIG")) {
    return *dir;
  }
  if (auto home = non_empty(env, "HOME")) {
    return fs::path(*home) / ".docker";
  }
  std::array<char, 4096> buffer{};
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return fs::path(found->pw_dir) / ".docker";
  }
  return ".docker";
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

}  // namespace deepdock::adapters::docker
