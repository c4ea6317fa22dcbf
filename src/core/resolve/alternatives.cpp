#include "core/resolve/alternatives.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

namespace {

bool gpu_related(const Violation& v) {
  return v.constraint == "compute capability" || v.constraint == "cuda" || v.constraint == "driver";
}

std::string host_summary(const Context& ctx) {
  std::vector<std::string> gpus;
  for (const auto& gpu : ctx.host.gpus) {
    gpus.push_back(gpu.name);
  }
  if (!ctx.gpu || gpus.empty()) {
    return "this host (CPU)";
  }
  std::string driver = ctx.host.driver           ? "driver " + ctx.host.driver->text()
                       : ctx.host.driver_managed ? "the driver deepdock installs"
                                                 : "no driver";
  return fmt::format("this host ({}, {})", util::join(gpus, ", "), driver);
}

std::optional<Alternative> newest_that_works(const Context& ctx, const AlternativeQuery& query) {
  for (const auto& version : query.versions) {
    if (query.requested && version == *query.requested) {
      continue;
    }
    if (query.evaluate(ctx.host, ctx.gpu, version).empty()) {
      return Alternative{
          fmt::format("{} {} runs on {}", query.framework, version.text(), host_summary(ctx)),
          version.text(),
          {},
          {}};
    }
  }
  return std::nullopt;
}

std::optional<Alternative> gpus_that_run(const Context& ctx, const AlternativeQuery& query) {
  Alternative out;
  for (const auto& model : ctx.kb.gpus()) {
    std::vector<std::string> types;
    for (const auto* accelerator : ctx.kb.gcp_accelerators_for(model.name)) {
      if (!accelerator->retired) {
        types.push_back(accelerator->type);
      }
    }
    if (types.empty()) {
      continue;  // only GPUs one can still rent
    }
    const HostView host = managed_host_with(model, ctx.kb);
    if (query.evaluate(host, true, *query.requested).empty()) {
      out.gpus.push_back(model.name);
      out.gcp_accelerators.insert(out.gcp_accelerators.end(), types.begin(), types.end());
    }
  }
  if (out.gpus.empty()) {
    return std::nullopt;
  }
  out.framework_version = query.requested->text();
  out.summary = fmt::format("{} {} runs on {}, with the driver deepdock installs", query.framework,
                            query.requested->text(), util::join(out.gpus, ", "));
  return out;
}

}  // namespace

std::vector<Alternative> find_alternatives(const Context& ctx, const AlternativeQuery& query) {
  std::vector<Alternative> out;
  const bool gpu_problem =
      std::any_of(query.violations.begin(), query.violations.end(), gpu_related);
  if (query.requested && ctx.gpu && query.fit.driver_only && !query.fit.upgrade_branch.empty()) {
    out.push_back({fmt::format("update the NVIDIA driver to branch {} (driver {} or newer) and "
                               "keep {} {}",
                               query.fit.upgrade_branch, query.fit.min_driver, query.framework,
                               query.requested->text()),
                   query.requested->text(),
                   {},
                   {}});
  }
  if (auto newest = newest_that_works(ctx, query)) {
    out.push_back(std::move(*newest));
  }
  // Other GPUs help when this one lacks kernels or CUDA support, or no driver for it runs the
  // build; not when a driver update alone would do.
  const bool hardware_problem =
      std::any_of(query.violations.begin(), query.violations.end(),
                  [](const Violation& v) { return v.constraint != "driver" && gpu_related(v); }) ||
      (gpu_problem && !query.fit.driver_only);
  if (query.requested && hardware_problem) {
    if (auto gpus = gpus_that_run(ctx, query)) {
      out.push_back(std::move(*gpus));
    }
  }
  if (query.requested && ctx.gpu && gpu_problem &&
      query.evaluate(ctx.host, false, *query.requested).empty()) {
    out.push_back(
        {fmt::format("gpu: none gives a CPU-only {} {}", query.framework, query.requested->text()),
         query.requested->text(),
         {},
         {}});
  }
  return out;
}

}  // namespace deepdock::core::resolve_detail
