#pragma once
// DefaultCredentials: Application Default Credentials as google-auth finds them
// (api-reference B.1), then gcloud:
//   1. $GOOGLE_APPLICATION_CREDENTIALS, a service-account key or authorized_user file;
//   2. gcloud's well-known file, $CLOUDSDK_CONFIG (else ~/.config/gcloud)/
//      application_default_credentials.json;
//   3. the GCE metadata server, when it answers the presence check (metadata_server.hpp);
//   4. `gcloud auth print-access-token`.
// A file that is named or present but broken is an error, as in google-auth; the search does
// not go on past it. The first three are cached (token_cache.hpp); gcloud's tokens only in
// memory. The search runs on the first token() or project(), not at construction. Safe to
// share between threads: one search, one fetch at a time.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/gcp/auth_context.hpp"
#include "adapters/gcp/credentials_file.hpp"
#include "adapters/gcp/gcloud_config.hpp"
#include "core/ports/access_token_source.hpp"

namespace deepdock::adapters::gcp {

enum class CredentialKind { kServiceAccountFile, kAuthorizedUserFile, kMetadataServer, kGcloud };

class DefaultCredentials final : public core::AccessTokenSource {
 public:
  explicit DefaultCredentials(AuthContext context);
  // The sources keep a reference to the context: neither copied nor moved.
  DefaultCredentials(const DefaultCredentials&) = delete;
  DefaultCredentials& operator=(const DefaultCredentials&) = delete;
  DefaultCredentials(DefaultCredentials&&) = delete;
  DefaultCredentials& operator=(DefaultCredentials&&) = delete;
  ~DefaultCredentials() override;

  Result<core::AccessToken> token() override;
  [[nodiscard]] std::string describe() const override;

  // Runs the search if it has not run. Errors only for a broken credentials file.
  Status resolve();
  // After resolve(): which source was chosen, and each step passed over and why.
  [[nodiscard]] std::optional<CredentialKind> kind() const { return kind_; }
  [[nodiscard]] const std::vector<std::string>& passed_over() const { return passed_over_; }

  // The default project, in google-auth's order: $GOOGLE_CLOUD_PROJECT (or legacy
  // $GCLOUD_PROJECT); the credentials file's project_id (a key) or quota_project_id (a user);
  // the gcloud configuration's project; the metadata server's, when that is the source.
  // nullopt when none of them names one.
  Result<std::optional<SourcedValue>> project();
  // A user's quota_project_id, to send as x-goog-user-project; empty when none.
  [[nodiscard]] std::string quota_project() const;

 private:
  Status resolve_locked();

  mutable std::mutex mutex_;
  AuthContext context_;
  std::unique_ptr<core::AccessTokenSource> selected_;
  std::optional<CredentialsFile> file_;
  std::optional<CredentialKind> kind_;
  std::vector<std::string> passed_over_;
};

}  // namespace deepdock::adapters::gcp
