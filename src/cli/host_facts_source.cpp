#include "cli/host_facts_source.hpp"

#include <fmt/format.h>

#include "adapters/host/local_gpu_probe.hpp"
#include "core/compat/version.hpp"

namespace deepdock::cli {
namespace {

Result<std::optional<std::string>> parse_driver_flag(const std::string& driver) {
  if (driver.empty() || driver == "none") {
    return std::optional<std::string>{};
  }
  if (!core::Version::parse(driver)) {
    return fail(ErrorCode::kInvalidInput, fmt::format("--driver {}: not a driver version", driver),
                "write it as nvidia-smi prints it, e.g. --driver 535.183.01, or --driver none");
  }
  return std::optional<std::string>{driver};
}

}  // namespace

Result<core::HostFacts> host_facts_for(const core::Spec& spec, const std::vector<std::string>& gpus,
                                       const std::string& driver, const core::KnowledgeBase& kb) {
  if (!gpus.empty() || !driver.empty()) {
    core::HostFacts facts;
    for (const auto& name : gpus) {
      const auto* model = kb.find_gpu(name);
      if (model == nullptr) {
        return fail(
            ErrorCode::kInvalidInput, fmt::format("--gpu '{}': unknown GPU model", name),
            "use a name or alias from the knowledge base, e.g. 'Tesla T4', A100, H100, K80");
      }
      facts.gpus.push_back({model->name, model->compute_capability, 0});
    }
    TRY_ASSIGN(facts.driver_version, parse_driver_flag(driver));
    facts.driver_managed = spec.target.kind != core::TargetKind::kLocal;
    facts.origin = "from --gpu/--driver";
    return facts;
  }
  if (spec.target.kind == core::TargetKind::kGcp) {
    core::HostFacts facts;
    const auto& gcp = spec.target.gcp;
    const auto* model = kb.find_gpu(gcp.accelerator);
    if (model == nullptr) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("target.gcp.accelerator '{}' is not a known accelerator type",
                              gcp.accelerator),
                  "use a Google Cloud accelerator type such as nvidia-tesla-t4, nvidia-l4 or "
                  "nvidia-tesla-a100");
    }
    for (int i = 0; i < gcp.count; ++i) {
      facts.gpus.push_back({model->name, model->compute_capability, 0});
    }
    facts.driver_managed = true;
    facts.os_id = "ubuntu";
    facts.os_version = gcp.image_family.find("2404") != std::string::npos ? "24.04" : "22.04";
    facts.origin = fmt::format("Google Cloud accelerator {}", gcp.accelerator);
    return facts;
  }
  if (spec.target.kind == core::TargetKind::kSsh) {
    core::HostFacts facts;
    facts.driver_managed = true;
    facts.origin = fmt::format("{} not probed: pass --gpu/--driver to plan for its hardware",
                               spec.target.host);
    return facts;
  }
  adapters::host::LocalGpuProbe probe;
  return probe.probe();
}

}  // namespace deepdock::cli
