#pragma once
// plan_environment: spec + host facts + knowledge base -> resolution, generated build
// context, content-addressed image tag and the steps `up` would take. Pure: the caller
// reads files (the requirements) and probes the host.

#include <optional>
#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/model/resolution.hpp"
#include "core/plan/plan.hpp"
#include "core/spec/spec.hpp"
#include "gen/environment_dockerfile.hpp"

namespace deepdock::app {

struct PlanRequest {
  core::Spec spec;
  core::HostFacts host;
  std::string requirements_text;  // content of spec.requirements; empty when none
  std::string debootstrap_image;  // engine image standing for "debootstrap:<suite>"
  std::string ship_to;            // `up --ship`: the host the image goes to; "" = none
  std::string push_registry;      // with ship_to: through this registry instead
  bool cloud_build = false;       // with push_registry: Cloud Build makes and pushes it
};

struct EnvironmentPlan {
  core::Spec spec;
  core::HostFacts host;
  std::optional<core::Resolution> resolution;  // set when a combination works
  std::optional<core::Conflict> conflict;      // set when none does
  std::optional<gen::GeneratedContext> context;
  std::string dockerfile;    // rendered
  std::string content_hash;  // of every build input
  std::string image_tag;
  std::string container_name;
  std::vector<core::PlanStep> steps;
};

EnvironmentPlan plan_environment(const PlanRequest& request, const core::KnowledgeBase& kb);

// The engine image name for a debootstrap base ("debootstrap:bookworm" ->
// "deepdock/bookworm:minbase").
std::string debootstrap_image_name(const std::string& base);

}  // namespace deepdock::app
