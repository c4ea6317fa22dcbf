#pragma once
// What every framework's resolver works from (the spec, the knowledge base, the host as the
// resolver sees it, whether the environment uses the GPU), and the helpers that turn facts
// into reasons, violations and the final answer. Internal to the resolver.

#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/resolution.hpp"
#include "core/resolve/host_view.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::core::resolve_detail {

struct Context {
  const Spec& spec;
  const KnowledgeBase& kb;
  HostView host;
  bool gpu = false;  // resolving a GPU environment
  std::vector<std::string> warnings;
};

using Outcome = tl::expected<Resolution, Conflict>;

Reason make_reason(std::string subject, std::string choice, std::string why,
                   const Provenance& provenance);
Violation make_violation(std::string constraint, std::string detail, const Provenance& provenance);

// The resolution with the context's warnings, one warning per unverified fact it used, and
// duplicates removed.
Outcome finish(Resolution resolution, const Context& ctx);
// The conflict with the context's warnings and one warning per unverified fact in it.
Outcome conflict(const Context& ctx, std::vector<Violation> violations,
                 std::vector<Alternative> alternatives);

// "python:3.11-slim": the base for environments that install their framework with pip.
std::string python_base_image(const Version& python);

}  // namespace deepdock::core::resolve_detail
