// DockerEngine: images. Pull, push and build stream JSON progress (call_progress_stream);
// registry credentials come from RegistryAuth and are never logged.
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/docker/build_context.hpp"
#include "adapters/docker/docker_engine.hpp"
#include "adapters/docker/dockerfile_bases.hpp"
#include "adapters/docker/engine_json.hpp"
#include "adapters/docker/engine_request.hpp"
#include "util/log.hpp"

namespace deepdock::adapters::docker {
namespace {

using core::HttpMethod;
using core::HttpRequest;
using core::HttpResponse;
using nlohmann::json;

// The tag or digest to pull: never empty, since an empty tag pulls every tag.
std::string pull_tag(const core::ImageRef& ref) {
  if (!ref.digest.empty()) {
    return ref.digest;
  }
  return ref.tag.empty() ? std::string("latest") : ref.tag;
}

// The Dockerfile text: an in-memory file wins over the one in the context directory.
std::string read_dockerfile(const core::BuildRequest& request) {
  if (const auto it = request.extra_files.find(request.dockerfile);
      it != request.extra_files.end()) {
    return it->second;
  }
  std::ifstream file(request.context_dir / request.dockerfile, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string build_query(const core::BuildRequest& request) {
  Query query;
  for (const auto& tag : request.tags) {
    query.add("t", tag);
  }
  query.add("dockerfile", request.dockerfile.empty() ? "Dockerfile" : request.dockerfile);
  if (!request.build_args.empty()) {
    query.add("buildargs", json(request.build_args).dump());
  }
  if (!request.labels.empty()) {
    query.add("labels", json(request.labels).dump());
  }
  query.add("rm", true).add("forcerm", true);
  if (!request.network_mode.empty()) {
    query.add("networkmode", request.network_mode);
  }
  // Sent only when set: older engines read any non-empty value as true.
  if (request.pull) {
    query.add("pull", true);
  }
  if (request.no_cache) {
    query.add("nocache", true);
  }
  // The classic builder: BuildKit (version=2) needs a gRPC session a plain client lacks.
  query.add("version", std::string_view("1"));
  return query.str();
}

}  // namespace

Result<std::string> DockerEngine::registry_auth_header(const core::ImageRef& ref) const {
  auto credentials = auth_.lookup(ref.auth_key());
  if (!credentials) {
    return fail(credentials.error().context(
        fmt::format("reading registry credentials for {}", ref.auth_key())));
  }
  log::debug("docker: {} registry credentials for {}", *credentials ? "using" : "no",
             ref.auth_key());
  return RegistryAuth::header_value(*credentials);
}

Result<std::string> DockerEngine::registry_config_header(const core::BuildRequest& request) const {
  std::map<std::string, RegistryCredentials> by_registry;
  for (const auto& base : dockerfile_base_images(read_dockerfile(request))) {
    auto credentials = auth_.lookup(base.auth_key());
    if (!credentials) {
      // The pull of that base image will say what is wrong, if anything is.
      log::warn("docker: no credentials for {}: {}", base.auth_key(), credentials.error().message);
      continue;
    }
    if (*credentials) {
      by_registry.emplace(base.auth_key(), **credentials);
    }
  }
  if (by_registry.empty()) {
    return std::string();
  }
  return RegistryAuth::config_header_value(by_registry);
}

Result<core::ImageInfo> DockerEngine::inspect_image(std::string_view ref) {
  const std::string action = fmt::format("inspecting image {}", ref);
  TRY_ASSIGN(const HttpResponse response,
             call({.target = fmt::format("/images/{}/json", path_segment(ref))}, action));
  TRY_ASSIGN(const json inspect, parse_json_body(response.body, action));
  return parse_image_inspect(inspect);
}

Status DockerEngine::pull_image(const core::ImageRef& ref, const core::ProgressFn& progress) {
  const std::string action = fmt::format("pulling image {}", ref.str());
  TRY_ASSIGN(const std::string auth, registry_auth_header(ref));
  Query query;
  query.add("fromImage", ref.name()).add("tag", pull_tag(ref));
  HttpRequest request{.method = HttpMethod::kPost, .target = "/images/create" + query.str()};
  request.headers.push_back({"X-Registry-Auth", auth});
  TRY(call_progress_stream(std::move(request), action, progress));
  return {};
}

Result<std::string> DockerEngine::build_image(const core::BuildRequest& request,
                                              const core::ProgressFn& progress) {
  const std::string action =
      request.tags.empty() ? fmt::format("building an image from {}", request.context_dir.string())
                           : fmt::format("building image {}", request.tags.front());
  auto context = write_build_context(request);
  if (!context) {
    return fail(context.error().context(action));
  }
  TRY_ASSIGN(const std::string registry_config, registry_config_header(request));
  log::debug("docker: build context for {}: {} bytes", action, context->size());

  HttpRequest http{.method = HttpMethod::kPost, .target = "/build" + build_query(request)};
  http.headers.push_back({"Content-Type", "application/x-tar"});
  if (!registry_config.empty()) {
    http.headers.push_back({"X-Registry-Config", registry_config});
  }
  http.body_source = context->body_source();
  http.body_size = context->size();
  TRY_ASSIGN(std::string image_id, call_progress_stream(std::move(http), action, progress));
  if (!image_id.empty()) {
    return image_id;
  }
  // Engines that send no aux ID: the tag names the result.
  if (request.tags.empty()) {
    return fail(
        ErrorCode::kFailure,
        fmt::format("{}: the engine reported no image id and the build has no tag", action));
  }
  TRY_ASSIGN(const core::ImageInfo built, inspect_image(request.tags.front()));
  return built.id;
}

Status DockerEngine::tag_image(std::string_view source, const core::ImageRef& target) {
  const std::string action = fmt::format("tagging image {} as {}", source, target.str());
  if (!target.digest.empty()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: a tag cannot be a digest", action),
                "give the target a :tag");
  }
  Query query;
  query.add("repo", target.name()).add("tag", target.tag.empty() ? "latest" : target.tag);
  TRY(call({.method = HttpMethod::kPost,
            .target = fmt::format("/images/{}/tag{}", path_segment(source), query.str())},
           action));
  return {};
}

Status DockerEngine::push_image(const core::ImageRef& ref, const core::ProgressFn& progress) {
  const std::string action = fmt::format("pushing image {}", ref.str());
  if (ref.tag.empty()) {
    // Without a tag the engine pushes every tag of the repository.
    return fail(ErrorCode::kInvalidInput, fmt::format("{}: a push needs a tag", action),
                "push name:tag");
  }
  // Always present: without it the engine reads auth from the body and fails (400).
  TRY_ASSIGN(const std::string auth, registry_auth_header(ref));
  Query query;
  query.add("tag", ref.tag);
  HttpRequest request{
      .method = HttpMethod::kPost,
      .target = fmt::format("/images/{}/push{}", path_segment(ref.name()), query.str())};
  request.headers.push_back({"X-Registry-Auth", auth});
  TRY(call_progress_stream(std::move(request), action, progress));
  return {};
}

Status DockerEngine::remove_image(std::string_view ref, bool force) {
  const std::string action = fmt::format("removing image {}", ref);
  Query query;
  query.add("force", force);
  TRY(call({.method = HttpMethod::kDelete,
            .target = fmt::format("/images/{}{}", path_segment(ref), query.str())},
           action));
  return {};
}

Result<std::vector<core::ImageInfo>> DockerEngine::list_images(
    const std::vector<std::string>& labels) {
  const std::string action = "listing images";
  Query query;
  if (!labels.empty()) {
    query.add("filters", json{{"label", labels}}.dump());
  }
  TRY_ASSIGN(const HttpResponse response, call({.target = "/images/json" + query.str()}, action));
  TRY_ASSIGN(const json list, parse_json_body(response.body, action));
  std::vector<core::ImageInfo> out;
  if (list.is_array()) {
    for (const auto& item : list) {
      out.push_back(parse_image_summary(item));
    }
  }
  return out;
}

}  // namespace deepdock::adapters::docker
