#include "cli/output/resolution_text.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace deepdock::cli {
namespace {

std::string indent(const std::string& text, std::string_view prefix) {
  std::string out;
  for (const auto& line : util::split(text, '\n')) {
    if (!line.empty()) {
      out += fmt::format("{}{}\n", prefix, line);
    }
  }
  return out;
}

// "tf_source_md, tf_pip_md" -> the citations those keys stand for.
std::vector<std::string> citations(const std::string& source_keys, const core::KnowledgeBase& kb) {
  std::vector<std::string> out;
  for (const auto& key : util::split(source_keys, ',')) {
    const auto trimmed = util::trim(key);
    if (!trimmed.empty()) {
      out.emplace_back(kb.source_text(trimmed));
    }
  }
  return out;
}

std::string cited(const std::string& source_keys, const core::KnowledgeBase& kb) {
  std::string out;
  for (const auto& citation : citations(source_keys, kb)) {
    out += fmt::format("      source: {}\n", citation);
  }
  return out;
}

std::string resolution_text(const core::Resolution& r, bool explain,
                            const core::KnowledgeBase& kb) {
  std::string out = "resolution\n";
  const auto row = [&out](std::string_view key, const std::string& value) {
    if (!value.empty()) {
      out += fmt::format("  {:<12}{}\n", key, value);
    }
  };
  row("framework", fmt::format("{} {}", to_string(r.framework), r.framework_version));
  row("python", r.python);
  row("gpu", r.gpu ? "yes" : "no (CPU environment)");
  if (r.gpu) {
    row("cuda", r.cudnn.empty() ? r.cuda : fmt::format("{} with cuDNN {}", r.cuda, r.cudnn));
    row("driver", fmt::format(">= {}{}", r.min_driver,
                              r.driver_branch.empty()
                                  ? ""
                                  : fmt::format(" (deepdock installs {})", r.driver_branch)));
  }
  row("base image", r.base_image);
  row("apt", util::join(r.apt_packages, " "));
  row("pip", r.pip_packages.empty() ? std::string("(the base image has the framework)")
                                    : util::join(r.pip_packages, " "));
  row("pip index", r.pip_index_url);
  if (explain && !r.reasons.empty()) {
    out += "\nwhy\n";
    for (const auto& reason : r.reasons) {
      out += fmt::format("  {} = {}: {}{}\n", reason.subject, reason.choice, reason.why,
                         reason.unverified ? " [unverified]" : "");
      out += cited(reason.source, kb);
    }
  }
  return out;
}

std::string conflict_text(const core::Conflict& conflict, const core::KnowledgeBase& kb) {
  std::string out = "no working combination\n";
  for (const auto& v : conflict.violations) {
    out +=
        fmt::format("  x {}: {}{}\n", v.constraint, v.detail, v.unverified ? " [unverified]" : "");
    out += cited(v.source, kb);
  }
  if (!conflict.alternatives.empty()) {
    out += "\nwhat would work instead\n";
    for (const auto& a : conflict.alternatives) {
      out += fmt::format("  - {}", a.summary);
      if (!a.gcp_accelerators.empty()) {
        out += fmt::format(" (Google Cloud: {})", util::join(a.gcp_accelerators, ", "));
      }
      out += "\n";
    }
  }
  return out;
}

nlohmann::json resolution_json(const core::Resolution& r, const core::KnowledgeBase& kb) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& reason : r.reasons) {
    reasons.push_back({{"subject", reason.subject},
                       {"choice", reason.choice},
                       {"why", reason.why},
                       {"source", reason.source},
                       {"citations", citations(reason.source, kb)},
                       {"unverified", reason.unverified}});
  }
  return {{"framework", to_string(r.framework)},
          {"framework_version", r.framework_version},
          {"python", r.python},
          {"gpu", r.gpu},
          {"cuda", r.cuda},
          {"cudnn", r.cudnn},
          {"min_driver", r.min_driver},
          {"driver_branch", r.driver_branch},
          {"base_image", r.base_image},
          {"apt_packages", r.apt_packages},
          {"pip_packages", r.pip_packages},
          {"pip_index_url", r.pip_index_url},
          {"reasons", reasons},
          {"warnings", r.warnings}};
}

nlohmann::json conflict_json(const core::Conflict& c, const core::KnowledgeBase& kb) {
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : c.violations) {
    violations.push_back({{"constraint", v.constraint},
                          {"detail", v.detail},
                          {"source", v.source},
                          {"citations", citations(v.source, kb)},
                          {"unverified", v.unverified}});
  }
  nlohmann::json alternatives = nlohmann::json::array();
  for (const auto& a : c.alternatives) {
    alternatives.push_back({{"summary", a.summary},
                            {"framework_version", a.framework_version},
                            {"gpus", a.gpus},
                            {"gcp_accelerators", a.gcp_accelerators}});
  }
  return {{"violations", violations}, {"alternatives", alternatives}, {"warnings", c.warnings}};
}

}  // namespace

std::string describe_host(const core::HostFacts& host) {
  std::vector<std::string> parts;
  if (host.gpus.empty()) {
    parts.emplace_back("no NVIDIA GPU");
  } else {
    std::vector<std::string> gpus;
    for (const auto& gpu : host.gpus) {
      gpus.push_back(gpu.compute_capability.empty()
                         ? gpu.name
                         : fmt::format("{} (cc {})", gpu.name, gpu.compute_capability));
    }
    parts.push_back(util::join(gpus, ", "));
  }
  if (host.driver_version) {
    parts.push_back(fmt::format("driver {}", *host.driver_version));
  } else {
    parts.emplace_back(host.driver_managed ? "driver installed by deepdock" : "no NVIDIA driver");
  }
  if (!host.os_id.empty()) {
    parts.push_back(fmt::format("{} {}", host.os_id, host.os_version));
  }
  std::string line = util::join(parts, ", ");
  if (!host.origin.empty()) {
    line += fmt::format(" ({})", host.origin);
  }
  return line;
}

std::string plan_to_text(const app::EnvironmentPlan& plan, const std::string& origin, bool explain,
                         const core::KnowledgeBase& kb) {
  std::string out = fmt::format("plan for {} from {}\nhost        {}\n\n", plan.spec.name, origin,
                                describe_host(plan.host));
  const std::vector<std::string>* warnings = nullptr;
  if (plan.conflict) {
    out += conflict_text(*plan.conflict, kb);
    warnings = &plan.conflict->warnings;
  } else if (plan.resolution) {
    out += resolution_text(*plan.resolution, explain, kb);
    warnings = &plan.resolution->warnings;
  }
  if (warnings != nullptr && !warnings->empty()) {
    out += "\nwarnings\n";
    for (const auto& w : *warnings) {
      out += fmt::format("  ! {}\n", w);
    }
  }
  if (!plan.resolution) {
    return out;
  }
  out += fmt::format("\nimage       {}\ncontainer   {}\n", plan.image_tag, plan.container_name);
  out += "\nDockerfile\n" + indent(plan.dockerfile, "  | ");
  out += "\nsteps `deepdock up` would take\n";
  int n = 1;
  for (const auto& step : plan.steps) {
    out += fmt::format("  {}. {}{}\n     {}\n", n++, step.title,
                       step.inputs_hash.empty() ? "" : fmt::format(" [{}]", step.inputs_hash),
                       step.detail);
  }
  return out;
}

nlohmann::json plan_to_json(const app::EnvironmentPlan& plan, const std::string& origin,
                            const core::KnowledgeBase& kb) {
  nlohmann::json gpus = nlohmann::json::array();
  for (const auto& gpu : plan.host.gpus) {
    gpus.push_back({{"name", gpu.name},
                    {"compute_capability", gpu.compute_capability},
                    {"memory_mib", gpu.memory_mib}});
  }
  nlohmann::json body = {
      {"spec", {{"name", plan.spec.name}, {"origin", origin}}},
      {"host",
       {{"gpus", gpus},
        {"driver_version", plan.host.driver_version ? nlohmann::json(*plan.host.driver_version)
                                                    : nlohmann::json(nullptr)},
        {"driver_managed", plan.host.driver_managed},
        {"os", fmt::format("{} {}", plan.host.os_id, plan.host.os_version)},
        {"origin", plan.host.origin}}}};
  if (plan.conflict) {
    body["conflict"] = conflict_json(*plan.conflict, kb);
    return body;
  }
  if (!plan.resolution) {
    return body;
  }
  body["resolution"] = resolution_json(*plan.resolution, kb);
  body["image"] = plan.image_tag;
  body["container"] = plan.container_name;
  body["content_hash"] = plan.content_hash;
  body["dockerfile"] = plan.dockerfile;
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : plan.steps) {
    steps.push_back({{"id", step.id},
                     {"title", step.title},
                     {"detail", step.detail},
                     {"inputs_hash", step.inputs_hash}});
  }
  body["steps"] = steps;
  return body;
}

}  // namespace deepdock::cli
