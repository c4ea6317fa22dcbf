#pragma once
// An Application Default Credentials JSON file (api-reference B.2): a service-account key
// or an authorized_user refresh token. Every secret read is registered for log redaction.

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "util/error.hpp"

namespace deepdock::adapters::gcp {

struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;  // PKCS#8 PEM
  std::string private_key_id;
  std::string token_uri;
  std::string project_id;  // may be empty
};

struct AuthorizedUser {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string token_uri;  // empty: the default endpoint (see authorized_user_source.hpp)
  std::string quota_project_id;
  std::string account;
};

struct CredentialsFile {
  std::filesystem::path path;
  std::string origin;  // how it was found: "GOOGLE_APPLICATION_CREDENTIALS", "gcloud ADC file"
  std::variant<ServiceAccountKey, AuthorizedUser> credentials;

  // The project the credentials name: a key's project_id, else a user's quota_project_id.
  [[nodiscard]] std::string project() const;
};

// Reads and checks the file. Errors name the file and its origin: unreadable or not JSON
// (kInvalidInput), a missing required field, or a `type` deepdock does not support
// (external_account, impersonated_service_account, ...: kPrecondition with a hint).
Result<CredentialsFile> load_credentials_file(const std::filesystem::path& path,
                                              std::string origin);

// Parses the JSON text alone; `where` names it in messages.
Result<std::variant<ServiceAccountKey, AuthorizedUser>> parse_credentials(std::string_view text,
                                                                          std::string_view where);

}  // namespace deepdock::adapters::gcp
