#pragma once
// How a plan reads for a person (text) and for a program (--json).

#include <nlohmann/json.hpp>
#include <string>

#include "app/plan_environment.hpp"

namespace deepdock::cli {

// With `explain`, each choice is followed by why it was made and the citations behind it
// (source keys expanded through the knowledge base).
std::string plan_to_text(const app::EnvironmentPlan& plan, const std::string& origin, bool explain,
                         const core::KnowledgeBase& kb);
nlohmann::json plan_to_json(const app::EnvironmentPlan& plan, const std::string& origin,
                            const core::KnowledgeBase& kb);

// One line describing the host: "1x Tesla T4 (cc 7.5), driver 535.183.01, ubuntu 22.04".
std::string describe_host(const core::HostFacts& host);

}  // namespace deepdock::cli
