#pragma once
// The plan: the ordered steps `up` takes for a spec, as plain data. Each step names what it
// does and the hash of its inputs, so `plan` and `up --dry-run` can print it and a re-run
// can tell what is already done.

#include <string>
#include <vector>

#include "core/model/host_facts.hpp"
#include "core/model/resolution.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::core {

struct PlanStep {
  std::string id;           // "build-image"
  std::string title;        // "build image deepdock/bert:3f2a…"
  std::string detail;       // one or two sentences: what, and when it is skipped
  std::string inputs_hash;  // first 12 hex of the SHA-256 of the step's inputs; "" if none
};

struct PlanInputs {
  const Spec* spec = nullptr;
  const HostFacts* host = nullptr;
  const Resolution* resolution = nullptr;
  std::string image_tag;  // content-addressed tag of the environment image
  std::string
      base_image;  // what FROM names (the debootstrap base's engine image, or the official one)
  std::string container_name;  // "deepdock-<name>"
  // `up --ship`: the host the image is shipped to after it is made here; "" = the target's
  // engine makes it.
  std::string ship_to;
  // With ship_to: the registry the image goes through instead (the spec's `registry:`).
  std::string push_registry;
  // `build: cloudbuild`: Cloud Build makes the image and pushes it to push_registry, and
  // the target's engine pulls it; nothing is built on this machine or the target.
  bool cloud_build = false;
};

// The steps of `up` for the spec's target, in order.
std::vector<PlanStep> plan_up(const PlanInputs& inputs);

// "deepdock/<name>:<first 12 hex of hash>".
std::string image_tag_for(const std::string& name, const std::string& content_hash);

}  // namespace deepdock::core
