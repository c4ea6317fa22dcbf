#include "app/environment_image.hpp"

#include <fmt/format.h>

#include "app/base_image.hpp"
#include "app/ship_image.hpp"
#include "app/up_steps.hpp"

namespace deepdock::app {
namespace {

// The build's context: the generated Dockerfile and files, tagged as the environment image.
core::BuildRequest build_context(const EnvironmentPlan& plan, const UpRequest& request) {
  core::BuildRequest context;
  context.extra_files = plan.context->files;
  context.extra_files["Dockerfile"] = plan.dockerfile;
  if (!request.requirements_text.empty() || !plan.spec.requirements.empty()) {
    context.extra_files["requirements.txt"] = request.requirements_text;
  }
  context.tags = {plan.image_tag};
  return context;
}

// Makes the image on `maker` unless it is there: the base first, then the build.
class ImageMaker {
 public:
  ImageMaker(const UpPreparation& prepared, const UpRequest& request, UpDeps& deps,
             UpObserver& observer, std::vector<StepRecord>& steps, core::ContainerEngine& maker)
      : plan_(prepared.plan),
        request_(request),
        deps_(deps),
        observer_(observer),
        steps_(steps),
        maker_(maker) {}

  // Both steps as "not needed"/`outcome`: the image is there already.
  void skip(const char* outcome) {
    StepTimer base(observer_, steps_, "base-image", step_title(plan_, "base-image", "base image"));
    base.done("not needed");
    StepTimer build(observer_, steps_, "build-image",
                    step_title(plan_, "build-image", "build image"));
    build.done(outcome);
  }

  Status make() {
    TRY(ensure_base());
    StepTimer build(observer_, steps_, "build-image",
                    step_title(plan_, "build-image", "build image"));
    core::BuildRequest request = build_context(plan_, request_);
    TRY_ASSIGN(const bool bridge, maker_.network_exists("bridge"));
    if (!bridge) {
      // An engine without its bridge (dockerd --bridge=none) builds on the host's network.
      request.network_mode = "host";
    }
    auto built = maker_.build_image(
        request, [this](const core::ProgressEvent& event) { observer_.progress(event); });
    if (!built) {
      return fail(built.error());
    }
    build.done("built");
    return {};
  }

 private:
  Status ensure_base() {
    StepTimer base(observer_, steps_, "base-image", step_title(plan_, "base-image", "base image"));
    const core::Resolution& resolution = *plan_.resolution;
    BaseImageRequest request;
    request.kind = resolution.base_kind;
    if (resolution.base_kind == core::BaseKind::kDebootstrap) {
      request.image = debootstrap_image_name(resolution.base_image);
      request.suite = resolution.base_image.substr(resolution.base_image.find(':') + 1);
    } else {
      request.image = resolution.base_image;
    }
    TRY_ASSIGN(const BaseImageAction action,
               ensure_base_image(
                   maker_, deps_.rootfs, request,
                   [this](const core::ProgressEvent& event) { observer_.progress(event); },
                   [this](std::string_view text) { observer_.line(text); }));
    base.done(action == BaseImageAction::kPresent  ? "present"
              : action == BaseImageAction::kPulled ? "pulled"
                                                   : "made with debootstrap");
    return {};
  }

  const EnvironmentPlan& plan_;
  const UpRequest& request_;
  UpDeps& deps_;
  UpObserver& observer_;
  std::vector<StepRecord>& steps_;
  core::ContainerEngine& maker_;
};

// "<registry>/<name>:<tag>" for the environment image "deepdock/<name>:<tag>".
std::string registry_ref(const std::string& registry, const std::string& image_tag) {
  std::string name = image_tag;
  if (name.starts_with("deepdock/")) {
    name.erase(0, std::string_view("deepdock/").size());
  }
  std::string base = registry;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + "/" + name;
}

// The target's engine pulls the pushed image and tags it as the environment image.
Status pull_pushed(const EnvironmentPlan& plan, const std::string& pushed, UpDeps& deps,
                   UpObserver& observer, std::vector<StepRecord>& steps) {
  const auto progress = [&observer](const core::ProgressEvent& event) { observer.progress(event); };
  TRY_ASSIGN(const core::ImageRef ref, core::ImageRef::parse(pushed));
  StepTimer pull(observer, steps, "pull-image", "pull " + pushed + " on " + deps.engine.endpoint());
  if (deps.pull_on_target) {
    TRY(deps.pull_on_target(pushed));
  } else {
    TRY(deps.engine.pull_image(ref, progress));
  }
  TRY_ASSIGN(const core::ImageRef local, core::ImageRef::parse(plan.image_tag));
  TRY(deps.engine.tag_image(pushed, local));
  pull.done(deps.pull_on_target ? "pulled by the target itself" : "pulled");
  return {};
}

// The image made on `maker` goes to the registry and the target engine pulls it (with this
// machine's credentials for the registry, sent through the Engine API).
Status deliver_through_registry(const EnvironmentPlan& plan, UpDeps& deps, UpObserver& observer,
                                std::vector<StepRecord>& steps, core::ContainerEngine& maker) {
  const std::string pushed = registry_ref(deps.push_registry, plan.image_tag);
  TRY_ASSIGN(const core::ImageRef ref, core::ImageRef::parse(pushed));
  {
    StepTimer push(observer, steps, "push-image", "push the image to " + pushed);
    TRY(maker.tag_image(plan.image_tag, ref));
    TRY(maker.push_image(
        ref, [&observer](const core::ProgressEvent& event) { observer.progress(event); }));
    push.done("pushed");
  }
  return pull_pushed(plan, pushed, deps, observer, steps);
}

// `build: cloudbuild`: Cloud Build makes the image from the context and pushes it; the
// target pulls it. A debootstrap base exists only on an engine that made it, so Cloud Build
// cannot start from one.
Status build_in_the_cloud(const EnvironmentPlan& plan, const UpRequest& request, UpDeps& deps,
                          UpObserver& observer, std::vector<StepRecord>& steps) {
  if (plan.resolution->base_kind == core::BaseKind::kDebootstrap) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("`build: cloudbuild` cannot start from {}: a debootstrap base is "
                            "made on an engine of yours, which Cloud Build does not reach",
                            plan.resolution->base_image),
                "use `base: auto` or an image in a registry, or `build: local`");
  }
  const std::string pushed = registry_ref(deps.push_registry, plan.image_tag);
  {
    StepTimer build(observer, steps, "cloud-build",
                    step_title(plan, "cloud-build", "build with Cloud Build"));
    TRY_ASSIGN(const std::string digest,
               deps.cloud_build(build_context(plan, request), pushed, observer));
    build.done(digest.empty() ? "built and pushed" : "built and pushed, " + digest.substr(0, 19));
  }
  return pull_pushed(plan, pushed, deps, observer, steps);
}

}  // namespace

Status ensure_environment_image(const UpPreparation& prepared, const UpRequest& request,
                                UpDeps& deps, UpObserver& observer,
                                std::vector<StepRecord>& steps) {
  const EnvironmentPlan& plan = prepared.plan;
  // The environment image first: when it exists, its base is not needed at all.
  // prepare_up looked a moment ago; only an image it did not find is looked for again.
  auto existing = prepared.image_present ? Result<core::ImageInfo>(core::ImageInfo{})
                                         : deps.engine.inspect_image(plan.image_tag);
  core::ContainerEngine& maker = deps.image_maker != nullptr ? *deps.image_maker : deps.engine;
  ImageMaker making(prepared, request, deps, observer, steps, maker);
  if (existing && deps.cloud_build) {
    StepTimer build(observer, steps, "cloud-build",
                    step_title(plan, "cloud-build", "build with Cloud Build"));
    build.done("present");
    return {};
  }
  if (existing) {
    making.skip("present");
    return {};
  }
  if (existing.error().code != ErrorCode::kNotFound) {
    return fail(existing.error());
  }
  if (deps.cloud_build) {
    return build_in_the_cloud(plan, request, deps, observer, steps);
  }
  if (&maker == &deps.engine) {
    return making.make();
  }
  // Made here unless this engine has it, then shipped or sent through the registry.
  if (auto here = maker.inspect_image(plan.image_tag); here) {
    making.skip("present here");
  } else if (here.error().code == ErrorCode::kNotFound) {
    TRY(making.make());
  } else {
    return fail(here.error());
  }
  if (!deps.push_registry.empty()) {
    return deliver_through_registry(plan, deps, observer, steps, maker);
  }
  StepTimer ship(observer, steps, "ship-image",
                 step_title(plan, "ship-image", "ship the image to " + deps.engine.endpoint()));
  TRY_ASSIGN(const ShipResult shipped, ship_image(maker, deps.engine, plan.image_tag, deps.ship_dir,
                                                  [&observer](const core::ProgressEvent& event) {
                                                    observer.progress(event);
                                                  }));
  ship.done(ship_summary(shipped));
  return {};
}

}  // namespace deepdock::app
