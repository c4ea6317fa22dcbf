#include "adapters/gcp/gcloud_config.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

namespace fs = std::filesystem;

// The file's text; nullopt when it does not exist.
Result<std::optional<std::string>> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    return std::optional<std::string>{text.str()};
  }
  std::error_code error;
  if (fs::exists(path, error)) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cannot read the gcloud configuration {}", path.string()),
                "check its permissions, or set CLOUDSDK_CONFIG to another directory");
  }
  return std::optional<std::string>{};
}

// The environment's value if set, else the file's.
std::optional<SourcedValue> setting(const AuthContext& context, const char* variable,
                                    const std::map<std::string, std::string>* section,
                                    const char* key, const std::string& file_origin) {
  if (auto value = context.getenv(variable)) {
    return SourcedValue{*value, variable};
  }
  if (section != nullptr) {
    if (const auto found = section->find(key); found != section->end() && !found->second.empty()) {
      return SourcedValue{found->second, file_origin};
    }
  }
  return std::nullopt;
}

}  // namespace

std::map<std::string, std::map<std::string, std::string>> parse_ini(std::string_view text) {
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::string current;
  for (const std::string& raw : util::split(text, '\n')) {
    const std::string_view line = util::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      current = util::to_lower(util::trim(line.substr(1, line.size() - 2)));
      continue;
    }
    const size_t equals = line.find_first_of("=:");
    if (equals == std::string_view::npos || current.empty()) {
      continue;
    }
    sections[current][util::to_lower(util::trim(line.substr(0, equals)))] =
        std::string(util::trim(line.substr(equals + 1)));
  }
  return sections;
}

Result<GcloudConfig> read_gcloud_config(const AuthContext& context) {
  const fs::path dir = gcloud_config_dir(context);
  GcloudConfig config;
  if (auto named = context.getenv("CLOUDSDK_ACTIVE_CONFIG_NAME")) {
    config.name = *named;
  } else {
    TRY_ASSIGN(const auto active, read_text(dir / "active_config"));
    config.name = active ? std::string(util::trim(*active)) : "";
  }
  if (config.name.empty()) {
    config.name = "default";
  }
  config.file = dir / "configurations" / ("config_" + config.name);
  TRY_ASSIGN(const auto text, read_text(config.file));
  const auto sections = text ? parse_ini(*text) : decltype(parse_ini("")){};
  const auto section = [&](const char* name) -> const std::map<std::string, std::string>* {
    const auto found = sections.find(name);
    return found == sections.end() ? nullptr : &found->second;
  };
  const std::string origin =
      fmt::format("gcloud configuration \"{}\" ({})", config.name, config.file.string());
  config.project = setting(context, "CLOUDSDK_CORE_PROJECT", section("core"), "project", origin);
  config.account = setting(context, "CLOUDSDK_CORE_ACCOUNT", section("core"), "account", origin);
  config.zone = setting(context, "CLOUDSDK_COMPUTE_ZONE", section("compute"), "zone", origin);
  config.region = setting(context, "CLOUDSDK_COMPUTE_REGION", section("compute"), "region", origin);
  config.compute_endpoint = setting(context, "CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE",
                                    section("api_endpoint_overrides"), "compute", origin);
  return config;
}

}  // namespace deepdock::adapters::gcp
