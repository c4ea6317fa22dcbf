#include "adapters/gcp/credentials_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/redact.hpp"

namespace deepdock::adapters::gcp {
namespace {

using nlohmann::json;

constexpr std::string_view kLoginHint =
    "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a "
    "service-account key file";

std::string string_field(const json& object, std::string_view name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

// Fails naming every required field that is missing or empty in `what` (a key, a user's
// credentials), with the hint for that kind of file.
Status require_fields(const json& object, std::initializer_list<std::string_view> required,
                      std::string_view what, std::string_view hint) {
  std::string missing;
  for (const std::string_view name : required) {
    if (string_field(object, name).empty()) {
      missing += missing.empty() ? "" : ", ";
      missing += name;
    }
  }
  if (missing.empty()) {
    return {};
  }
  return fail(ErrorCode::kInvalidInput, fmt::format("{} lacks {}", what, missing),
              std::string(hint));
}

Result<ServiceAccountKey> service_account(const json& object, std::string_view where) {
  TRY(require_fields(object, {"client_email", "private_key", "token_uri"},
                     fmt::format("the service-account key {}", where),
                     "download a new JSON key for the service account (`gcloud iam "
                     "service-accounts keys create`)"));
  ServiceAccountKey key{string_field(object, "client_email"), string_field(object, "private_key"),
                        string_field(object, "private_key_id"), string_field(object, "token_uri"),
                        string_field(object, "project_id")};
  util::register_secret(key.private_key);
  return key;
}

Result<AuthorizedUser> authorized_user(const json& object, std::string_view where) {
  TRY(require_fields(object, {"client_id", "client_secret", "refresh_token"},
                     fmt::format("the user credentials file {}", where), kLoginHint));
  AuthorizedUser user{
      string_field(object, "client_id"),        string_field(object, "client_secret"),
      string_field(object, "refresh_token"),    string_field(object, "token_uri"),
      string_field(object, "quota_project_id"), string_field(object, "account")};
  util::register_secret(user.client_secret);
  util::register_secret(user.refresh_token);
  return user;
}

}  // namespace

std::string CredentialsFile::project() const {
  if (const auto* key = std::get_if<ServiceAccountKey>(&credentials)) {
    return key->project_id;
  }
  return std::get<AuthorizedUser>(credentials).quota_project_id;
}

Result<std::variant<ServiceAccountKey, AuthorizedUser>> parse_credentials(std::string_view text,
                                                                          std::string_view where) {
  using Parsed = std::variant<ServiceAccountKey, AuthorizedUser>;
  const json object = json::parse(text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the credentials file {} is not a JSON object", where),
                std::string(kLoginHint));
  }
  const std::string type = string_field(object, "type");
  if (type == "service_account") {
    TRY_ASSIGN(ServiceAccountKey key, service_account(object, where));
    return Parsed{std::move(key)};
  }
  if (type == "authorized_user") {
    TRY_ASSIGN(AuthorizedUser user, authorized_user(object, where));
    return Parsed{std::move(user)};
  }
  static constexpr std::array<std::string_view, 4> kKnownOthers = {
      "external_account", "external_account_authorized_user", "impersonated_service_account",
      "gdch_service_account"};
  if (std::find(kKnownOthers.begin(), kKnownOthers.end(), type) != kKnownOthers.end()) {
    return fail(ErrorCode::kPrecondition,
                fmt::format("the credentials file {} is of type \"{}\", which deepdock does not "
                            "support yet",
                            where, type),
                "use a service-account key or `gcloud auth application-default login`; "
                "`gcloud auth login` alone also works through the gcloud fallback");
  }
  return fail(ErrorCode::kInvalidInput,
              type.empty()
                  ? fmt::format("the credentials file {} has no \"type\"", where)
                  : fmt::format("the credentials file {} has the unknown type \"{}\"", where, type),
              std::string(kLoginHint));
}

Result<CredentialsFile> load_credentials_file(const std::filesystem::path& path,
                                              std::string origin) {
  const std::string where = fmt::format("{} ({})", path.string(), origin);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidInput, fmt::format("cannot read the credentials file {}", where),
                origin == "GOOGLE_APPLICATION_CREDENTIALS"
                    ? "point GOOGLE_APPLICATION_CREDENTIALS at a readable key file, or unset it"
                    : std::string(kLoginHint));
  }
  std::stringstream text;
  text << in.rdbuf();
  TRY_ASSIGN(auto credentials, parse_credentials(text.str(), where));
  return CredentialsFile{path, std::move(origin), std::move(credentials)};
}

}  // namespace deepdock::adapters::gcp
