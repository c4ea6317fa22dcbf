#pragma once
// The resolver: spec + host facts + knowledge base -> one combination of framework release,
// Python, CUDA, cuDNN, driver and base image that works on the host, with the reason for each
// choice and a warning for each end-of-life or unverified fact used; or, when none works,
// every violated constraint and the nearest combinations that would. Pure: no IO, no clock.

#include <tl/expected.hpp>

#include "core/compat/knowledge_base.hpp"
#include "core/model/host_facts.hpp"
#include "core/model/resolution.hpp"
#include "core/spec/spec.hpp"

namespace deepdock::core {

tl::expected<Resolution, Conflict> resolve(const Spec& spec, const HostFacts& host,
                                           const KnowledgeBase& kb);

}  // namespace deepdock::core
