#include "scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace deepdock::gcpemu {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
T value_or(const YAML::Node& node, const char* key, T fallback) {
  return node[key] ? node[key].as<T>() : fallback;
}

std::vector<std::string> strings(const YAML::Node& node) {
  return node ? node.as<std::vector<std::string>>() : std::vector<std::string>{};
}

ZoneSpec parse_zone(const YAML::Node& node) {
  ZoneSpec zone;
  zone.name = node["name"].as<std::string>();
  zone.accelerators = strings(node["accelerators"]);
  zone.status = value_or<std::string>(node, "status", "UP");
  if (const YAML::Node stockout = node["stockout"]; stockout) {
    // `true` is a stockout for good, a number one for that many creations.
    if (stockout.as<std::string>() == "true") {
      zone.stockout = 0;
    } else if (stockout.as<std::string>() == "false") {
      zone.stockout = -1;
    } else {
      zone.stockout = stockout.as<int>();
    }
  }
  return zone;
}

OAuthSpec parse_oauth(const YAML::Node& node, const std::filesystem::path& dir) {
  OAuthSpec oauth;
  if (!node) {
    return oauth;
  }
  for (const YAML::Node& account : node["service_accounts"]) {
    ServiceAccountSpec spec;
    spec.email = account["email"].as<std::string>();
    if (account["public_key_pem"]) {
      spec.public_key_pem = account["public_key_pem"].as<std::string>();
    } else if (account["public_key_file"]) {
      std::filesystem::path key = account["public_key_file"].as<std::string>();
      spec.public_key_pem = read_text(key.is_absolute() ? key : dir / key);
    }
    oauth.service_accounts.push_back(spec);
  }
  oauth.refresh_tokens = strings(node["refresh_tokens"]);
  oauth.audiences = strings(node["audiences"]);
  oauth.expires_in = value_or<int64_t>(node, "expires_in", oauth.expires_in);
  return oauth;
}

void parse_faults(const YAML::Node& node, Scenario& scenario) {
  if (!node) {
    return;
  }
  for (const YAML::Node& burst : node["bursts"]) {
    scenario.bursts.push_back({.method = value_or<std::string>(burst, "method", ""),
                               .path = value_or<std::string>(burst, "path", ""),
                               .status = value_or(burst, "status", 429),
                               .count = value_or(burst, "count", 1)});
  }
  for (const YAML::Node& slow : node["slow_operations"]) {
    scenario.slow_operations.push_back({.zone = value_or<std::string>(slow, "zone", ""),
                                        .type = value_or<std::string>(slow, "type", ""),
                                        .delay_ms = value_or<int64_t>(slow, "delay_ms", 0)});
  }
  const auto where = value_or<std::string>(node, "quota_errors", "operation");
  if (where != "operation" && where != "sync") {
    throw std::runtime_error("faults.quota_errors must be 'operation' or 'sync', not '" + where +
                             "'");
  }
  scenario.quota_errors = where == "sync" ? QuotaErrorWhere::kSync : QuotaErrorWhere::kOperation;
}

Scenario parse(const YAML::Node& root, const std::filesystem::path& dir) {
  Scenario scenario;
  scenario.project = value_or(root, "project", scenario.project);
  scenario.project_number = value_or(root, "project_number", scenario.project_number);
  scenario.tokens = strings(root["tokens"]);
  for (const YAML::Node& zone : root["zones"]) {
    scenario.zones.push_back(parse_zone(zone));
  }
  for (const auto& region : root["regions"]) {
    const auto quotas = region.second["quotas"];
    scenario.region_quotas[region.first.as<std::string>()] =
        quotas ? quotas.as<std::map<std::string, double>>() : std::map<std::string, double>{};
  }
  if (root["project_quotas"]) {
    scenario.project_quotas = root["project_quotas"].as<std::map<std::string, double>>();
  }
  if (root["images"]) {
    scenario.images = root["images"].as<std::map<std::string, std::vector<std::string>>>();
  } else {
    scenario.images = {{"ubuntu-os-cloud", {"ubuntu-2204-lts", "ubuntu-2404-lts-amd64"}},
                       {"debian-cloud", {"debian-12"}}};
  }
  scenario.serial_output = strings(root["serial_output"]);
  scenario.operation_delay_ms = value_or<int64_t>(root, "operation_delay_ms", 0);
  scenario.page_size = value_or<int64_t>(root, "page_size", 0);
  scenario.oauth = parse_oauth(root["oauth"], dir);
  parse_faults(root["faults"], scenario);
  return scenario;
}

}  // namespace

const ZoneSpec* Scenario::find_zone(const std::string& name) const {
  const auto found =
      std::find_if(zones.begin(), zones.end(), [&](const ZoneSpec& z) { return z.name == name; });
  return found == zones.end() ? nullptr : &*found;
}

std::vector<std::string> Scenario::regions() const {
  std::set<std::string> names;
  for (const ZoneSpec& zone : zones) {
    names.insert(region_of(zone.name));
  }
  for (const auto& [region, quotas] : region_quotas) {
    names.insert(region);
  }
  return {names.begin(), names.end()};
}

std::string region_of(const std::string& zone) {
  const auto dash = zone.rfind('-');
  return dash == std::string::npos ? zone : zone.substr(0, dash);
}

Scenario load_scenario(const std::filesystem::path& file) {
  try {
    return parse(YAML::Load(read_text(file)), file.parent_path());
  } catch (const YAML::Exception& error) {
    throw std::runtime_error(file.string() + ": " + error.what());
  }
}

}  // namespace deepdock::gcpemu
