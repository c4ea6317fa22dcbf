#include "adapters/gcp/default_credentials.hpp"

#include <fmt/format.h>

#include <system_error>
#include <utility>

#include "adapters/gcp/authorized_user_source.hpp"
#include "adapters/gcp/gcloud_token_source.hpp"
#include "adapters/gcp/metadata_server.hpp"
#include "adapters/gcp/service_account_source.hpp"
#include "adapters/gcp/token_cache.hpp"
#include "util/log.hpp"
#include "util/sha256.hpp"

namespace deepdock::adapters::gcp {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExplicitVariable = "GOOGLE_APPLICATION_CREDENTIALS";

// The cached source for a credentials file, and its kind.
std::pair<std::unique_ptr<core::AccessTokenSource>, CredentialKind> file_source(
    const AuthContext& context, const CredentialsFile& file) {
  const std::string origin = fmt::format("{} from {}", file.path.string(), file.origin);
  if (const auto* key = std::get_if<ServiceAccountKey>(&file.credentials)) {
    const std::string identity = fmt::format("service_account\n{}\n{}\n{}", key->client_email,
                                             key->private_key_id, key->token_uri);
    return {std::make_unique<CachedTokenSource>(
                context, std::make_unique<ServiceAccountSource>(context, *key, origin), identity),
            CredentialKind::kServiceAccountFile};
  }
  const auto& user = std::get<AuthorizedUser>(file.credentials);
  auto source = std::make_unique<AuthorizedUserSource>(context, user, origin);
  const std::string identity =
      fmt::format("authorized_user\n{}\n{}\n{}", user.client_id,
                  util::sha256_hex(user.refresh_token), source->token_uri());
  return {std::make_unique<CachedTokenSource>(context, std::move(source), identity),
          CredentialKind::kAuthorizedUserFile};
}

}  // namespace

DefaultCredentials::DefaultCredentials(AuthContext context) : context_(std::move(context)) {}

DefaultCredentials::~DefaultCredentials() = default;

Status DefaultCredentials::resolve() {
  const std::lock_guard lock(mutex_);
  return resolve_locked();
}

Status DefaultCredentials::resolve_locked() {
  if (selected_) {
    return {};
  }
  passed_over_.clear();
  std::optional<std::pair<fs::path, std::string>> file;
  if (auto explicit_path = context_.getenv(kExplicitVariable)) {
    file.emplace(*explicit_path, std::string(kExplicitVariable));
  } else {
    passed_over_.push_back(fmt::format("{}: not set", kExplicitVariable));
    const fs::path well_known =
        gcloud_config_dir(context_) / "application_default_credentials.json";
    std::error_code error;
    if (fs::exists(well_known, error)) {
      file.emplace(well_known, "gcloud's application-default credentials");
    } else {
      passed_over_.push_back(
          fmt::format("{}: does not exist (`gcloud auth application-default login` writes it)",
                      well_known.string()));
    }
  }
  if (file) {
    TRY_ASSIGN(CredentialsFile loaded, load_credentials_file(file->first, file->second));
    auto [source, kind] = file_source(context_, loaded);
    file_ = std::move(loaded);
    selected_ = std::move(source);
    kind_ = kind;
  } else {
    const MetadataServer metadata(context_);
    if (const MetadataPresence presence = metadata.probe(); presence.present) {
      selected_ = std::make_unique<CachedTokenSource>(
          context_, std::make_unique<MetadataTokenSource>(context_),
          "gce_metadata\n" + metadata.addresses().api_base);
      kind_ = CredentialKind::kMetadataServer;
    } else {
      passed_over_.push_back("the GCE metadata server: " + presence.detail);
      selected_ = std::make_unique<CachedTokenSource>(
          context_, std::make_unique<GcloudTokenSource>(context_, passed_over_), "gcloud",
          /*persist=*/false);
      kind_ = CredentialKind::kGcloud;
    }
  }
  log::debug("gcp auth: credentials: {}", selected_->describe());
  for (const std::string& step : passed_over_) {
    log::debug("gcp auth:   passed over {}", step);
  }
  return {};
}

Result<core::AccessToken> DefaultCredentials::token() {
  const std::lock_guard lock(mutex_);
  TRY(resolve_locked());
  return selected_->token();
}

std::string DefaultCredentials::describe() const {
  const std::lock_guard lock(mutex_);
  return selected_ ? selected_->describe()
                   : std::string("Application Default Credentials (not looked up yet)");
}

Result<std::optional<SourcedValue>> DefaultCredentials::project() {
  const std::lock_guard lock(mutex_);
  for (const char* variable : {"GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"}) {
    if (auto value = context_.getenv(variable)) {
      return std::optional<SourcedValue>(SourcedValue{*value, variable});
    }
  }
  TRY(resolve_locked());
  if (file_ && !file_->project().empty()) {
    return std::optional<SourcedValue>(SourcedValue{
        file_->project(), fmt::format("{} ({})", file_->path.string(), file_->origin)});
  }
  TRY_ASSIGN(const GcloudConfig config, read_gcloud_config(context_));
  if (config.project) {
    return config.project;
  }
  if (kind_ == CredentialKind::kMetadataServer) {
    const MetadataServer metadata(context_);
    TRY_ASSIGN(std::string project, metadata.project_id());
    if (!project.empty()) {
      return std::optional<SourcedValue>(
          SourcedValue{std::move(project), "the metadata server " + metadata.addresses().api_base});
    }
  }
  return std::optional<SourcedValue>{};
}

std::string DefaultCredentials::quota_project() const {
  const std::lock_guard lock(mutex_);
  if (file_) {
    if (const auto* user = std::get_if<AuthorizedUser>(&file_->credentials)) {
      return user->quota_project_id;
    }
  }
  return {};
}

}  // namespace deepdock::adapters::gcp
