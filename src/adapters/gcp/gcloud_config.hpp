#pragma once
// The gcloud configuration's defaults, read from its files without running gcloud:
// $CLOUDSDK_CONFIG (else ~/.config/gcloud)/active_config names the configuration
// (CLOUDSDK_ACTIVE_CONFIG_NAME overrides it; "default" when neither is set), whose INI file
// configurations/config_<name> holds [core] project and account, [compute] zone and region.
// CLOUDSDK_CORE_PROJECT, CLOUDSDK_COMPUTE_ZONE and CLOUDSDK_COMPUTE_REGION override them,
// as they do for gcloud. [api_endpoint_overrides] compute (CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE)
// points Compute Engine calls elsewhere (an emulator), for gcloud and deepdock alike.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/gcp/auth_context.hpp"

namespace deepdock::adapters::gcp {

// A setting and where it came from, for --explain: "CLOUDSDK_CORE_PROJECT",
// "gcloud configuration \"work\" (/home/me/.config/gcloud/configurations/config_work)".
struct SourcedValue {
  std::string value;
  std::string origin;
};

struct GcloudConfig {
  std::string name;            // the active configuration
  std::filesystem::path file;  // its file (which may not exist)
  std::optional<SourcedValue> project, zone, region, account;
  // The Compute API's base URL when overridden: "http://127.0.0.1:8089/compute/v1/".
  std::optional<SourcedValue> compute_endpoint;
};

// Missing files mean no settings; only an unreadable existing file is an error.
Result<GcloudConfig> read_gcloud_config(const AuthContext& context);

// An INI text as section → key → value ("core" → "project" → "p"). Keys and sections are
// lower-cased, values trimmed; comments (#, ;) and malformed lines are skipped.
std::map<std::string, std::map<std::string, std::string>> parse_ini(std::string_view text);

}  // namespace deepdock::adapters::gcp
