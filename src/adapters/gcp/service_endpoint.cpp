#include "adapters/gcp/service_endpoint.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "adapters/gcp/gcloud_config.hpp"
#include "adapters/gcp/token_endpoint.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

Result<ServiceEndpoint> split_service_url(const ServiceUrl& service, std::string_view url,
                                          std::string origin) {
  auto split = split_endpoint_url(url);
  if (!split) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} (set by {})",
                            util::replace_all(split.error().message, "the token endpoint",
                                              fmt::format("the {} endpoint", service.api)),
                            origin),
                split.error().hint.empty()
                    ? fmt::format("set api_endpoint_overrides/{} to a URL such as {}", service.api,
                                  service.default_root)
                    : split.error().hint);
  }
  std::string root = split->target.substr(0, split->target.find('?'));
  if (root.empty() || root.back() != '/') {
    root += '/';
  }
  if (ends_with(root, service.version_path) &&
      root.size() > service.version_path.size()) {  // keep the slash before it
    root.resize(root.size() - service.version_path.size());
  }
  root.pop_back();  // the API's paths start with their own slash
  return ServiceEndpoint{std::move(split->base), std::move(root), std::move(origin)};
}

Result<ServiceEndpoint> service_endpoint(const AuthContext& context, const ServiceUrl& service) {
  const std::string variable = "CLOUDSDK_API_ENDPOINT_OVERRIDES_" + upper(service.api);
  if (auto value = context.getenv(variable)) {
    return split_service_url(service, *value, variable);
  }
  TRY_ASSIGN(const GcloudConfig config, read_gcloud_config(context));
  std::ifstream in(config.file, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    const auto sections = parse_ini(text.str());
    if (const auto section = sections.find("api_endpoint_overrides"); section != sections.end()) {
      if (const auto found = section->second.find(std::string(service.api));
          found != section->second.end() && !found->second.empty()) {
        return split_service_url(service, found->second,
                                 fmt::format("api_endpoint_overrides/{} of gcloud configuration "
                                             "\"{}\" ({})",
                                             service.api, config.name, config.file.string()));
      }
    }
  }
  return split_service_url(service, service.default_root, "the default");
}

}  // namespace deepdock::adapters::gcp
