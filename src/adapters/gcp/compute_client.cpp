#include "adapters/gcp/compute_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "adapters/gcp/compute_endpoint.hpp"
#include "adapters/gcp/compute_errors.hpp"
#include "adapters/gcp/compute_json.hpp"
#include "util/log.hpp"
#include "util/random.hpp"
#include "util/strings.hpp"

namespace deepdock::adapters::gcp {
namespace {

using core::HttpMethod;
using nlohmann::json;

constexpr std::chrono::seconds kConnectTimeout{10};
// A list longer than this many pages is a server repeating itself, not a project.
constexpr int kMaxPages = 1000;

std::string filter_literal(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

std::string enc(std::string_view segment) {
  return util::url_encode(segment);
}

std::string zone_path(const std::string& zone) {
  return "zones/" + enc(zone);
}

std::string instance_path(const std::string& zone, const std::string& name) {
  return zone_path(zone) + "/instances/" + enc(name);
}

template <typename T>
Result<std::vector<T>> parse_each(const std::vector<json>& items, Result<T> (*parse)(const json&)) {
  std::vector<T> out;
  out.reserve(items.size());
  for (const json& item : items) {
    TRY_ASSIGN(T value, parse(item));
    out.push_back(std::move(value));
  }
  return out;
}

bool has_labels(const core::CloudInstance& instance,
                const std::map<std::string, std::string>& labels) {
  return std::all_of(labels.begin(), labels.end(), [&](const auto& wanted) {
    const auto found = instance.labels.find(wanted.first);
    return found != instance.labels.end() && found->second == wanted.second;
  });
}

}  // namespace

std::string label_filter(const std::map<std::string, std::string>& labels) {
  std::vector<std::string> clauses;
  clauses.reserve(labels.size());
  for (const auto& [key, value] : labels) {
    clauses.push_back(fmt::format("labels.{} = {}", key, filter_literal(value)));
  }
  return util::join(clauses, " AND ");
}

std::string new_request_id() {
  std::string hex = util::random_hex(16);
  hex[12] = '4';                                                      // version 4
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 0x3];  // RFC 4122 variant
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

ComputeClient::ComputeClient(std::unique_ptr<core::HttpTransport> transport,
                             core::AccessTokenSource& tokens, ComputeClientOptions options)
    : caller_(std::move(transport), tokens, options.quota_project, options.sleep, options.retry),
      options_(std::move(options)) {
  if (options_.path_prefix.empty() || options_.path_prefix.back() != '/') {
    options_.path_prefix += '/';
  }
}

std::string ComputeClient::target(const std::string& project, const std::string& path) const {
  std::string out = options_.path_prefix + "projects/" + enc(project);
  if (!path.empty()) {
    out += (path.front() == '?' ? "" : "/") + path;
  }
  return out;
}

Result<json> ComputeClient::call(const ComputeRequest& request, const std::string& project,
                                 const std::string& what) {
  TRY_ASSIGN(const core::HttpResponse response, caller_.send(request, what));
  if (!response.ok()) {
    const std::string credentials = caller_.credentials();
    return fail(compute_error(parse_google_error(response.status, response.body),
                              {what, project, credentials}));
  }
  return parse_object(response.body, what);
}

Result<std::vector<json>> ComputeClient::list_all(const std::string& project,
                                                  const std::string& path, const std::string& query,
                                                  const std::string& kind,
                                                  const std::string& what) {
  std::vector<json> items;
  std::set<std::string> tokens_seen;
  std::string page_token;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string page_query = query;
    if (!page_token.empty()) {
      page_query += page_query.empty() ? "pageToken=" : "&pageToken=";
      page_query += enc(page_token);
    }
    std::string below = path;
    if (!page_query.empty()) {
      below += '?';
      below += page_query;
    }
    ComputeRequest request;
    request.target = target(project, below);
    TRY_ASSIGN(const json answer, call(request, project, what));
    ListPage parsed = parse_list_page(answer, kind);
    for (const std::string& scope : parsed.unreachables) {
      log::warn("{}: Compute Engine could not reach {}; its {} are missing", what, scope, kind);
    }
    items.insert(items.end(), std::make_move_iterator(parsed.items.begin()),
                 std::make_move_iterator(parsed.items.end()));
    if (parsed.next_page_token.empty()) {
      return items;
    }
    if (!tokens_seen.insert(parsed.next_page_token).second) {
      break;
    }
    page_token = std::move(parsed.next_page_token);
  }
  return fail(ErrorCode::kFailure,
              fmt::format("{}: Compute Engine kept answering with further pages", what),
              "try again; if it persists, report it with the output of --verbose");
}

Result<std::vector<core::CloudZone>> ComputeClient::list_zones(const std::string& project) {
  TRY_ASSIGN(const auto items, list_all(project, "zones", "", "zones",
                                        fmt::format("listing the zones of project {}", project)));
  return parse_each<core::CloudZone>(items, &parse_zone);
}

Result<core::CloudRegion> ComputeClient::get_region(const std::string& project,
                                                    const std::string& region) {
  ComputeRequest request;
  request.target = target(project, "regions/" + enc(region));
  TRY_ASSIGN(
      const json answer,
      call(request, project, fmt::format("reading region {} of project {}", region, project)));
  return parse_region(answer);
}

Result<std::vector<core::CloudQuota>> ComputeClient::project_quotas(const std::string& project) {
  ComputeRequest request;
  request.target = target(project, "");
  TRY_ASSIGN(const json answer,
             call(request, project, fmt::format("reading the quotas of project {}", project)));
  return parse_quotas(answer.contains("quotas") ? answer["quotas"] : json::array());
}

Result<std::vector<core::CloudAcceleratorOffer>> ComputeClient::accelerator_offers(
    const std::string& project, const std::string& accelerator) {
  TRY_ASSIGN(const auto items, list_all(project, "aggregated/acceleratorTypes",
                                        "filter=" + enc("name = " + filter_literal(accelerator)) +
                                            "&returnPartialSuccess=true",
                                        "acceleratorTypes",
                                        fmt::format("finding the zones of project {} that offer {}",
                                                    project, accelerator)));
  TRY_ASSIGN(auto offers, parse_each<core::CloudAcceleratorOffer>(items, &parse_accelerator_type));
  std::erase_if(
      offers, [&](const core::CloudAcceleratorOffer& offer) { return offer.name != accelerator; });
  return offers;
}

Result<core::CloudMachineType> ComputeClient::get_machine_type(const std::string& project,
                                                               const std::string& zone,
                                                               const std::string& name) {
  ComputeRequest request;
  request.target = target(project, zone_path(zone) + "/machineTypes/" + enc(name));
  return call(request, project,
              fmt::format("reading machine type {} in {} of project {}", name, zone, project))
      .and_then([](const json& answer) { return parse_machine_type(answer); });
}

Result<core::CloudOperation> ComputeClient::insert_instance(const std::string& project,
                                                            const core::CloudInstanceSpec& spec,
                                                            const std::string& request_id) {
  ComputeRequest request;
  request.method = HttpMethod::kPost;
  request.target =
      target(project, zone_path(spec.zone) + "/instances?requestId=" + enc(request_id));
  request.body = instance_insert_body(spec).dump();
  const std::string what =
      fmt::format("creating instance {} in {} of project {}", spec.name, spec.zone, project);
  TRY_ASSIGN(const core::HttpResponse response, caller_.send(request, what));
  if (response.ok()) {
    return parse_object(response.body, what).and_then([](const json& answer) {
      return parse_operation(answer);
    });
  }
  const GoogleError error = parse_google_error(response.status, response.body);
  if (!error.from_google || response.status == 401) {
    // Not the cloud refusing this VM, but no answer from it or credentials it refused.
    const std::string credentials = caller_.credentials();
    return fail(compute_error(error, {what, project, credentials}));
  }
  log::debug("{}: refused at once: HTTP {} {}", what, response.status, error.reason);
  core::CloudOperation operation;
  operation.zone = spec.zone;
  operation.operation_type = "insert";
  operation.target = spec.name;
  operation.status = "DONE";
  operation.progress = 100;
  operation.error = core::CloudFailure{
      error.reason.empty() ? fmt::format("HTTP_{}", response.status) : error.reason, error.message,
      response.status};
  return operation;
}

Result<std::optional<core::CloudInstance>> ComputeClient::get_instance(const std::string& project,
                                                                       const std::string& zone,
                                                                       const std::string& name) {
  ComputeRequest request;
  request.target = target(project, instance_path(zone, name));
  auto answer = call(request, project,
                     fmt::format("reading instance {} in {} of project {}", name, zone, project));
  if (!answer) {
    if (answer.error().code == ErrorCode::kNotFound) {
      return std::optional<core::CloudInstance>{};
    }
    return fail(answer.error());
  }
  TRY_ASSIGN(core::CloudInstance instance, parse_instance(*answer));
  return std::optional<core::CloudInstance>{std::move(instance)};
}

Result<std::vector<core::CloudInstance>> ComputeClient::list_instances(
    const std::string& project, const std::map<std::string, std::string>& labels) {
  const std::string filter = label_filter(labels);
  TRY_ASSIGN(
      const auto items,
      list_all(project, "aggregated/instances",
               (filter.empty() ? "" : "filter=" + enc(filter) + "&") + "returnPartialSuccess=true",
               "instances", fmt::format("listing the instances of project {}", project)));
  TRY_ASSIGN(auto instances, parse_each<core::CloudInstance>(items, &parse_instance));
  std::erase_if(instances,
                [&](const core::CloudInstance& instance) { return !has_labels(instance, labels); });
  return instances;
}

Result<core::CloudOperation> ComputeClient::instance_operation(
    HttpMethod method, const std::string& project, const std::string& zone, const std::string& name,
    const std::string& verb, const std::string& request_id, const std::string& what) {
  ComputeRequest request;
  request.method = method;
  request.target = target(project, instance_path(zone, name) + (verb.empty() ? "" : "/" + verb) +
                                       "?requestId=" + enc(request_id));
  TRY_ASSIGN(const json answer, call(request, project, what));
  return parse_operation(answer);
}

Result<core::CloudOperation> ComputeClient::delete_instance(const std::string& project,
                                                            const std::string& zone,
                                                            const std::string& name,
                                                            const std::string& request_id) {
  return instance_operation(
      HttpMethod::kDelete, project, zone, name, "", request_id,
      fmt::format("deleting instance {} in {} of project {}", name, zone, project));
}

Result<core::CloudOperation> ComputeClient::stop_instance(const std::string& project,
                                                          const std::string& zone,
                                                          const std::string& name,
                                                          const std::string& request_id) {
  return instance_operation(
      HttpMethod::kPost, project, zone, name, "stop", request_id,
      fmt::format("stopping instance {} in {} of project {}", name, zone, project));
}

Result<core::CloudOperation> ComputeClient::start_instance(const std::string& project,
                                                           const std::string& zone,
                                                           const std::string& name,
                                                           const std::string& request_id) {
  return instance_operation(
      HttpMethod::kPost, project, zone, name, "start", request_id,
      fmt::format("starting instance {} in {} of project {}", name, zone, project));
}

Result<core::CloudOperation> ComputeClient::wait_operation(const std::string& project,
                                                           const std::string& zone,
                                                           const std::string& operation) {
  ComputeRequest request;
  request.method = HttpMethod::kPost;
  request.target = target(project, zone_path(zone) + "/operations/" + enc(operation) + "/wait");
  request.timeout = options_.wait_timeout;
  TRY_ASSIGN(const json answer, call(request, project,
                                     fmt::format("waiting for operation {} in {} of project {}",
                                                 operation, zone, project)));
  return parse_operation(answer);
}

Result<core::CloudSerialOutput> ComputeClient::serial_output(const std::string& project,
                                                             const std::string& zone,
                                                             const std::string& name,
                                                             int64_t start) {
  ComputeRequest request;
  request.target = target(
      project, instance_path(zone, name) + "/serialPort?port=1&start=" + std::to_string(start));
  TRY_ASSIGN(const json answer,
             call(request, project,
                  fmt::format("reading the serial port of instance {} in {} of project {}", name,
                              zone, project)));
  return parse_serial_output(answer);
}

Result<std::unique_ptr<core::CloudCompute>> make_compute_client(const AuthContext& context,
                                                                core::AccessTokenSource& tokens,
                                                                std::string quota_project) {
  TRY_ASSIGN(const ComputeEndpoint endpoint, compute_endpoint(context));
  if (!context.connect) {
    return fail(ErrorCode::kPrecondition, "no way to connect to Compute Engine was set up");
  }
  log::debug("gcp compute: using {}{} ({})", endpoint.base, endpoint.path_prefix, endpoint.origin);
  ComputeClientOptions options;
  options.path_prefix = endpoint.path_prefix;
  options.quota_project = std::move(quota_project);
  return std::unique_ptr<core::CloudCompute>(std::make_unique<ComputeClient>(
      context.connect(endpoint.base, kConnectTimeout), tokens, std::move(options)));
}

}  // namespace deepdock::adapters::gcp
