#pragma once
// Where the host facts for a plan come from: --gpu/--driver flags (plan for other hardware),
// the accelerator of a Google Cloud target (deepdock installs the driver there), or a probe
// of this machine for a local target.

#include <string>
#include <vector>

#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/spec/spec.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

Result<core::HostFacts> host_facts_for(const core::Spec& spec, const std::vector<std::string>& gpus,
                                       const std::string& driver, const core::KnowledgeBase& kb);

}  // namespace deepdock::cli
