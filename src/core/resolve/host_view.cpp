#include "core/resolve/host_view.hpp"

#include <fmt/format.h>

namespace deepdock::core::resolve_detail {

namespace {

void add_facts(HostGpu& gpu, const KnowledgeBase& kb) {
  if (gpu.model != nullptr && gpu.model->last_driver_branch) {
    gpu.last_branch = kb.driver_branch(*gpu.model->last_driver_branch);
  } else if (gpu.model == nullptr) {
    if (const auto* architecture = kb.architecture_for(gpu.cc)) {
      if (architecture->last_driver_branch) {
        gpu.last_branch = kb.driver_branch(*architecture->last_driver_branch);
      }
      gpu.provenance = architecture->provenance;
    }
  }
  // A known model without a first CUDA predates every toolkit in the knowledge base.
  gpu.min_cuda = gpu.model != nullptr ? gpu.model->min_cuda : kb.min_cuda_for(gpu.cc);
}

void add_end_of_life(HostView& view, const HostGpu& gpu, const KnowledgeBase& kb) {
  if (gpu.model == nullptr) {
    return;
  }
  for (const auto* accelerator : kb.gcp_accelerators_for(gpu.model->name)) {
    if (accelerator->retired) {
      view.warnings.push_back(fmt::format(
          "end of life: Google Cloud retired the {} ({}) on {}{}; it is no longer offered there",
          gpu.name, accelerator->type, accelerator->retired_on,
          accelerator->notice.empty() ? "" : fmt::format(" ({})", accelerator->notice)));
    } else if (accelerator->end_of_support_announced) {
      view.warnings.push_back(fmt::format(
          "end of life: Google Cloud's documentation has an end-of-support page for the {} ({}), "
          "date not recorded [unverified]",
          gpu.name, accelerator->type));
    }
  }
}

}  // namespace

HostView view_host(const HostFacts& host, const KnowledgeBase& kb) {
  HostView view;
  view.driver_managed = host.driver_managed;
  view.origin = host.origin;
  view.gpu_count = host.gpus.size();
  if (host.driver_version) {
    view.driver = Version::parse(*host.driver_version);
    if (!view.driver) {
      view.problems.push_back(
          {"driver",
           fmt::format("the installed driver version '{}' is not a version", *host.driver_version),
           "", false});
    }
  }
  for (const auto& fact : host.gpus) {
    const GpuModel* model = fact.name.empty() ? nullptr : kb.find_gpu(fact.name);
    std::optional<ComputeCapability> cc = ComputeCapability::parse(fact.compute_capability);
    if (!cc && model != nullptr) {
      cc = model->cc;
    }
    if (!cc) {
      view.problems.push_back(
          {"compute capability",
           fmt::format("GPU '{}' is not in the knowledge base and its compute capability is "
                       "unknown, so no framework build can be checked against it",
                       fact.name),
           "", false});
      continue;
    }
    const std::string name = model != nullptr ? model->name : fact.name;
    bool merged = false;
    for (auto& gpu : view.gpus) {
      if (gpu.name == name && gpu.cc == *cc) {
        ++gpu.count;
        merged = true;
      }
    }
    if (merged) {
      continue;
    }
    HostGpu gpu{name,
                *cc,
                1,
                model,
                nullptr,
                std::nullopt,
                model != nullptr ? model->provenance : Provenance{}};
    add_facts(gpu, kb);
    add_end_of_life(view, gpu, kb);
    view.gpus.push_back(std::move(gpu));
  }
  return view;
}

HostView managed_host_with(const GpuModel& model, const KnowledgeBase& kb) {
  HostView view;
  view.driver_managed = true;
  view.gpu_count = 1;
  HostGpu gpu{model.name, model.cc, 1, &model, nullptr, std::nullopt, model.provenance};
  add_facts(gpu, kb);
  view.gpus.push_back(std::move(gpu));
  return view;
}

std::string describe(const HostGpu& gpu) {
  return fmt::format("{} ({})", gpu.name, gpu.cc.sm());
}

}  // namespace deepdock::core::resolve_detail
