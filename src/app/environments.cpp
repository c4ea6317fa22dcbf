#include "app/environments.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/container_config.hpp"
#include "app/container_removal.hpp"
#include "app/environment_labels.hpp"
#include "gen/start_script.hpp"

namespace deepdock::app {
namespace {

constexpr int kStopTimeoutSeconds = 10;

std::string label_of(const std::map<std::string, std::string>& map, const char* key) {
  const auto it = map.find(key);
  return it == map.end() ? "" : it->second;
}

EnvironmentView view_of(const core::ContainerInfo& info, core::StateStore& state) {
  EnvironmentView view;
  view.name = label_of(info.labels, labels::kEnvironment);
  view.container_id = info.id;
  view.container_name = info.name;
  view.state = info.state.status;
  view.health = info.state.health;
  view.started_at = info.state.started_at;
  view.image = label_of(info.labels, labels::kImageTag);
  if (view.image.empty()) {
    view.image = info.image;
  }
  // The image's labels are merged into the container's by the engine.
  view.framework = label_of(info.labels, labels::kFramework);
  view.framework_version = label_of(info.labels, labels::kFrameworkVersion);
  view.gpus = label_of(info.labels, labels::kGpus);
  view.gpu_mode = label_of(info.labels, labels::kGpuMode);
  view.network = label_of(info.labels, labels::kNetwork);
  view.jupyter_mode = label_of(info.labels, "deepdock.jupyter");
  view.jupyter_port = label_port(info.labels, labels::kJupyterPort);
  view.tensorboard_port = label_port(info.labels, labels::kTensorboardPort);
  view.token = env_value(info.env, gen::kEnvJupyterToken);
  view.spec_file = label_of(info.labels, labels::kSpecFile);
  if (info.state.running) {
    if (auto text = state.read(info.id); text && *text) {
      if (auto verification = verification_from_json(**text, info.state.started_at)) {
        view.verification = *verification;
      }
    }
  }
  return view;
}

std::vector<std::string> managed_filter(const std::string& name) {
  std::vector<std::string> filter = {fmt::format("{}=true", labels::kManaged)};
  if (!name.empty()) {
    filter.push_back(fmt::format("{}={}", labels::kEnvironment, name));
  } else {
    filter.emplace_back(labels::kEnvironment);
  }
  return filter;
}

// "<registry>/<name>:<12 hex>": the name `up` gives the environment image in a registry.
bool is_registry_tag_of(std::string_view tag, std::string_view name) {
  const size_t colon = tag.rfind(':');
  const size_t slash = tag.rfind('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash > colon) {
    return false;
  }
  const std::string_view hash = tag.substr(colon + 1);
  constexpr size_t kHashLength = 12;
  return tag.substr(slash + 1, colon - slash - 1) == name && hash.size() == kHashLength &&
         hash.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

Result<std::vector<EnvironmentView>> list_environments(core::ContainerEngine& engine,
                                                       core::StateStore& state) {
  TRY_ASSIGN(const auto found, engine.list_containers(managed_filter(""), true));
  std::vector<EnvironmentView> out;
  for (const auto& summary : found) {
    auto info = engine.inspect_container(summary.id);
    if (!info) {
      if (info.error().code == ErrorCode::kNotFound) {
        continue;  // removed since it was listed
      }
      return fail(info.error());
    }
    out.push_back(view_of(*info, state));
  }
  std::sort(out.begin(), out.end(), [](const EnvironmentView& a, const EnvironmentView& b) {
    return std::tie(a.name, a.container_name) < std::tie(b.name, b.container_name);
  });
  return out;
}

Result<EnvironmentView> find_environment(core::ContainerEngine& engine, core::StateStore& state,
                                         const std::string& name) {
  TRY_ASSIGN(const auto found, engine.list_containers(managed_filter(name), true));
  const std::string expected = "deepdock-" + name;
  const core::ContainerSummary* chosen = nullptr;
  for (const auto& summary : found) {
    if (chosen == nullptr ||
        std::find(summary.names.begin(), summary.names.end(), expected) != summary.names.end()) {
      chosen = &summary;
    }
  }
  if (chosen == nullptr) {
    return fail(ErrorCode::kNotFound, fmt::format("no environment named '{}' is up", name),
                "start it with `deepdock up` (with -f for its spec), or see `deepdock status`");
  }
  TRY_ASSIGN(const core::ContainerInfo info, engine.inspect_container(chosen->id));
  return view_of(info, state);
}

Result<EnvironmentView> running_environment(core::ContainerEngine& engine, core::StateStore& state,
                                            const std::string& name) {
  TRY_ASSIGN(EnvironmentView view, find_environment(engine, state, name));
  if (view.state != "running") {
    return fail(ErrorCode::kPrecondition,
                fmt::format("environment '{}' is not running (container {} is {})", name,
                            view.container_name, view.state),
                "start it with `deepdock up`");
  }
  return view;
}

Result<DownResult> down_environment(core::ContainerEngine& engine, core::StateStore& state,
                                    const std::string& name, const DownOptions& options) {
  DownResult result;
  TRY_ASSIGN(const auto found, engine.list_containers(managed_filter(name), true));
  for (const auto& summary : found) {
    TRY(remove_container_converging(engine, summary.id, kStopTimeoutSeconds, options.volumes));
    (void)state.remove(summary.id);
    result.containers_removed.push_back(summary.names.empty() ? summary.id : summary.names.front());
  }
  if (options.images) {
    TRY_ASSIGN(const auto images,
               engine.list_images({fmt::format("{}=deepdock", labels::kImageGenerator),
                                   fmt::format("{}={}", labels::kImageSpecName, name)}));
    for (const auto& image : images) {
      // Only deepdock's own tags (deepdock/<name>:<hash>, and <registry>/<name>:<hash> that
      // `up` pulled through the spec's registry): a tag someone else put on the same image is
      // theirs, and it keeps the image. An untagged image goes by ID. The engine refuses
      // while a container deepdock did not make uses the image; it is then kept.
      const std::string own_prefix = fmt::format("deepdock/{}:", name);
      std::vector<std::string> refs;
      for (const auto& tag : image.repo_tags) {
        if (tag.starts_with(own_prefix) || is_registry_tag_of(tag, name)) {
          refs.push_back(tag);
        } else if (tag != "<none>:<none>") {
          result.notes.push_back(fmt::format("kept tag {}: deepdock did not make it", tag));
        }
      }
      if (image.repo_tags.empty() ||
          (refs.empty() &&
           std::all_of(image.repo_tags.begin(), image.repo_tags.end(),
                       [](const std::string& t) { return t == "<none>:<none>"; }))) {
        refs.push_back(image.id);
      }
      for (const auto& ref : refs) {
        auto removed = engine.remove_image(ref, false);
        if (removed) {
          result.images_removed.push_back(ref);
        } else if (removed.error().code == ErrorCode::kConflict) {
          result.notes.push_back(fmt::format("kept image {}: {}", ref, removed.error().message));
        } else if (removed.error().code != ErrorCode::kNotFound) {
          return fail(removed.error());
        }
      }
    }
  }
  if (options.volumes) {
    result.notes.emplace_back(
        "anonymous volumes of the containers were removed; bind mounts (the spec's mounts) are "
        "your files and stay");
  }
  return result;
}

std::string jupyter_url(const std::string& mode, std::optional<uint16_t> port,
                        const std::string& token) {
  if (!port || mode.empty() || mode == "none") {
    return "";
  }
  return fmt::format("http://127.0.0.1:{}/{}?token={}", *port, mode == "lab" ? "lab" : "tree",
                     token);
}

}  // namespace deepdock::app
