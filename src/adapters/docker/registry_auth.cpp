#include "adapters/docker/registry_auth.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "adapters/host/process.hpp"
#include "util/base64.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::docker {
namespace {

using nlohmann::json;

// The helper protocol's marker for "Secret is an identity token" (docker/cli native_store.go).
constexpr std::string_view kTokenUsername = "<token>";
constexpr std::string_view kNotFoundText = "credentials not found";

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::optional<json>> read_config(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::optional<json>{};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cannot read the Docker config {}", path.string()),
                "check its permissions");
  }
  std::stringstream text;
  text << in.rdbuf();
  json config = json::parse(text.str(), nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the Docker config {} is not a valid JSON object", path.string()),
                "fix it, or move it away and run `docker login` again");
  }
  return std::optional<json>(std::move(config));
}

// The entry of `object` whose key is `key`, or failing that whose normalized key matches.
const json* find_entry(const json& config, std::string_view section, std::string_view key) {
  const auto found = config.find(section);
  if (found == config.end() || !found->is_object()) {
    return nullptr;
  }
  if (const auto exact = found->find(key); exact != found->end()) {
    return &*exact;
  }
  const std::string wanted = normalize_registry_key(key);
  for (const auto& [name, value] : found->items()) {
    if (normalize_registry_key(name) == wanted) {
      return &value;
    }
  }
  return nullptr;
}

std::string string_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

Result<std::optional<RegistryCredentials>> from_auths_entry(const json& entry,
                                                            std::string_view registry_key,
                                                            const std::filesystem::path& file) {
  if (!entry.is_object()) {
    return std::optional<RegistryCredentials>{};
  }
  RegistryCredentials credentials;
  credentials.server_address = std::string(registry_key);
  credentials.identity_token = string_field(entry, "identitytoken");
  const std::string auth = string_field(entry, "auth");
  if (!auth.empty()) {
    util::register_secret(auth);
    const auto decoded = util::base64_decode(auth);
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("auths[\"{}\"].auth in {} is not base64 of user:password",
                              registry_key, file.string()),
                  fmt::format("log in again with `docker login {}`", registry_key));
    }
    credentials.username = decoded->substr(0, colon);
    credentials.password = decoded->substr(colon + 1);
  } else {
    credentials.username = string_field(entry, "username");
    credentials.password = string_field(entry, "password");
  }
  util::register_secret(credentials.password);
  util::register_secret(credentials.identity_token);
  if (credentials.password.empty() && credentials.identity_token.empty()) {
    return std::optional<RegistryCredentials>{};  // e.g. {} left by `docker login` with a store
  }
  return std::optional<RegistryCredentials>(std::move(credentials));
}

json to_json(const RegistryCredentials& credentials) {
  json object = json::object();
  if (!credentials.username.empty()) {
    object["username"] = credentials.username;
  }
  if (!credentials.password.empty()) {
    object["password"] = credentials.password;
  }
  if (!credentials.identity_token.empty()) {
    object["identitytoken"] = credentials.identity_token;
  }
  if (!credentials.server_address.empty()) {
    object["serveraddress"] = credentials.server_address;
  }
  return object;
}

}  // namespace

std::string normalize_registry_key(std::string_view key) {
  std::string_view rest = util::trim(key);
  if (const size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  return util::to_lower(rest);
}

RegistryAuth::RegistryAuth(std::filesystem::path docker_config_dir)
    : config_file_(std::move(docker_config_dir)) {
  config_file_ /= "config.json";
}

Result<std::optional<RegistryCredentials>> RegistryAuth::lookup(
    std::string_view registry_key) const {
  TRY_ASSIGN(const std::optional<json> config, read_config(config_file_));
  if (!config) {
    return std::optional<RegistryCredentials>{};
  }
  if (const json* helper = find_entry(*config, "credHelpers", registry_key);
      helper != nullptr && helper->is_string() && !helper->get<std::string>().empty()) {
    return from_helper(helper->get<std::string>(), registry_key);
  }
  if (const std::string store = string_field(*config, "credsStore"); !store.empty()) {
    return from_helper(store, registry_key);
  }
  if (const json* entry = find_entry(*config, "auths", registry_key); entry != nullptr) {
    return from_auths_entry(*entry, registry_key, config_file_);
  }
  return std::optional<RegistryCredentials>{};
}

Result<std::optional<RegistryCredentials>> RegistryAuth::from_helper(
    const std::string& helper, std::string_view registry_key) const {
  const std::string program = "docker-credential-" + helper;
  const std::string what = fmt::format("credential helper {} for {}", program, registry_key);
  log::debug("asking {}", what);
  auto ran = host::run_process({program, "get"}, registry_key, helper_timeout_);
  if (!ran) {
    Error error = ran.error().context(what);
    if (error.code == ErrorCode::kNotFound) {
      error.code = ErrorCode::kPrecondition;
      error.hint = fmt::format("install {}, or remove \"{}\" from {}", program, helper,
                               config_file_.string());
    }
    return fail(std::move(error));
  }
  const std::string_view out = util::trim(ran->stdout_text);
  if (ran->exit_code != 0) {
    // Helpers report errors on stdout (docker-credential-helpers' protocol).
    std::string message(out.empty() ? util::trim(ran->stderr_text) : out);
    if (message.find(kNotFoundText) != std::string::npos) {
      return std::optional<RegistryCredentials>{};
    }
    return fail(ErrorCode::kFailure,
                fmt::format("{} failed (exit {}): {}", what, ran->exit_code,
                            message.empty() ? "no message" : message),
                fmt::format("log in again (`docker login {}`, or `gcloud auth login` for gcloud)",
                            registry_key));
  }
  const json reply = json::parse(out, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    // Its output may hold a secret: do not repeat it.
    return fail(ErrorCode::kFailure,
                fmt::format("{} printed something other than a JSON object", what),
                fmt::format("run `echo {} | {} get` to see its output", registry_key, program));
  }
  const std::string secret = string_field(reply, "Secret");
  util::register_secret(secret);
  if (secret.empty()) {
    return std::optional<RegistryCredentials>{};
  }
  RegistryCredentials credentials;
  const std::string username = string_field(reply, "Username");
  if (username == kTokenUsername) {
    credentials.identity_token = secret;
  } else {
    credentials.username = username;
    credentials.password = secret;
  }
  credentials.server_address = string_field(reply, "ServerURL");
  if (credentials.server_address.empty()) {
    credentials.server_address = std::string(registry_key);  // docker-credential-gcloud omits it
  }
  return std::optional<RegistryCredentials>(std::move(credentials));
}

std::string RegistryAuth::header_value(const std::optional<RegistryCredentials>& credentials) {
  const json object = credentials ? to_json(*credentials) : json::object();
  std::string value = util::base64url_encode(dump(object));
  if (credentials) {
    util::register_secret(value);
  }
  return value;
}

std::string RegistryAuth::config_header_value(
    const std::map<std::string, RegistryCredentials>& by_registry) {
  json object = json::object();
  for (const auto& [key, credentials] : by_registry) {
    object[key] = to_json(credentials);
  }
  std::string value = util::base64url_encode(dump(object));
  if (!by_registry.empty()) {
    util::register_secret(value);
  }
  return value;
}

}  // namespace deepdock::adapters::docker
