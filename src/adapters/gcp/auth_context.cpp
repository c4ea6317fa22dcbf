#include "adapters/gcp/auth_context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace deepdock::adapters::gcp {

std::optional<std::string> AuthContext::getenv(std::string_view name) const {
  std::optional<std::string> value;
  if (env) {
    value = env(name);
  } else if (const char* found = std::getenv(std::string(name).c_str()); found != nullptr) {
    value.emplace(found);
  }
  return value && !value->empty() ? value : std::nullopt;
}

std::filesystem::path gcloud_config_dir(const AuthContext& context) {
  if (auto configured = context.getenv("CLOUDSDK_CONFIG")) {
    return *configured;
  }
  std::filesystem::path home;
  if (auto from_env = context.getenv("HOME")) {
    home = *from_env;
  } else if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir) {
    home = entry->pw_dir;
  }
  return home / ".config" / "gcloud";
}

}  // namespace deepdock::adapters::gcp
