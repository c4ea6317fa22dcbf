#include "app/plan_environment.hpp"

#include <fmt/format.h>

#include "core/resolve/resolver.hpp"
#include "util/sha256.hpp"

namespace deepdock::app {

std::string debootstrap_image_name(const std::string& base) {
  const auto colon = base.find(':');
  const std::string suite = colon == std::string::npos ? base : base.substr(colon + 1);
  return fmt::format("deepdock/{}:minbase", suite);
}

EnvironmentPlan plan_environment(const PlanRequest& request, const core::KnowledgeBase& kb) {
  EnvironmentPlan plan;
  plan.spec = request.spec;
  plan.host = request.host;
  plan.container_name = fmt::format("deepdock-{}", request.spec.name);

  auto resolved = core::resolve(request.spec, request.host, kb);
  if (!resolved) {
    plan.conflict = std::move(resolved.error());
    return plan;
  }
  plan.resolution = std::move(*resolved);
  const core::Resolution& resolution = *plan.resolution;

  gen::GenOptions options;
  options.debootstrap_image = request.debootstrap_image.empty()
                                  ? debootstrap_image_name(resolution.base_image)
                                  : request.debootstrap_image;
  options.requirements_name = request.requirements_text.empty() && request.spec.requirements.empty()
                                  ? ""
                                  : "requirements.txt";
  plan.context = gen::generate_environment(request.spec, resolution, options);
  plan.dockerfile = plan.context->dockerfile.render();

  // The image is named by everything that goes into it: rebuilt only when one changes.
  util::ContentHasher hasher;
  hasher.add("dockerfile", plan.dockerfile);
  for (const auto& [path, content] : plan.context->files) {
    hasher.add("file:" + path, content);
  }
  hasher.add("requirements", request.requirements_text);
  plan.content_hash = hasher.finish();
  plan.image_tag = core::image_tag_for(request.spec.name, plan.content_hash);

  const std::string from = resolution.base_kind == core::BaseKind::kDebootstrap
                               ? options.debootstrap_image
                               : resolution.base_image;
  plan.steps = core::plan_up({.spec = &plan.spec,
                              .host = &plan.host,
                              .resolution = &resolution,
                              .image_tag = plan.image_tag,
                              .base_image = from,
                              .container_name = plan.container_name,
                              .ship_to = request.ship_to,
                              .push_registry = request.push_registry,
                              .cloud_build = request.cloud_build});
  return plan;
}

}  // namespace deepdock::app
