#include "core/resolve/gpu_fit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/resolve/driver_plan.hpp"
#include "util/strings.hpp"

namespace deepdock::core::resolve_detail {

namespace {

Violation violation(std::string constraint, std::string detail, const Provenance& provenance) {
  return {std::move(constraint), std::move(detail), provenance.cite(), provenance.unverified};
}

void check_kernels(const Candidate& c, const HostGpu& gpu, const KnowledgeBase& kb, GpuFit& fit) {
  const KernelSet& kernels = *c.kernels;
  const auto& source = kernels.provenance;
  switch (kernel_fit(kernels, gpu.cc)) {
    case KernelFit::kSass:
      fit.reasons.push_back({"compute capability", gpu.cc.to_string(),
                             fmt::format("{} carries {}, which runs on {}", c.label,
                                         describe_kernels(kernels), describe(gpu)),
                             source.cite(), source.unverified});
      break;
    case KernelFit::kPtx:
      fit.ptx_jit = true;
      fit.reasons.push_back({"compute capability", gpu.cc.to_string(),
                             fmt::format("{} has no SASS for {}; its PTX is compiled by the driver "
                                         "at first start ({})",
                                         c.label, describe(gpu), describe_kernels(kernels)),
                             source.cite(), source.unverified});
      fit.warnings.push_back(fmt::format(
          "{} runs {} only through PTX JIT: the first start compiles kernels (minutes) and "
          "needs a driver at least as new as the build's CUDA {}",
          describe(gpu), c.label, c.cuda.text()));
      break;
    case KernelFit::kMinimumOnly:
      fit.reasons.push_back({"compute capability", gpu.cc.to_string(),
                             fmt::format("{} lists no architectures; {} meets its documented "
                                         "minimum ({})",
                                         c.label, describe(gpu), describe_kernels(kernels)),
                             source.cite(), true});
      if (gpu.min_cuda && *gpu.min_cuda > c.cuda) {
        fit.violations.push_back(violation(
            "cuda",
            fmt::format("CUDA {} predates {}, which needs CUDA {} or newer, and {} records no "
                        "PTX that the driver could compile for it",
                        c.cuda.text(), describe(gpu), gpu.min_cuda->text(), c.label),
            Provenance{source.sources, true, {}}));
      }
      break;
    case KernelFit::kNone:
      fit.violations.push_back(
          violation("compute capability",
                    fmt::format("{} has no kernels for {}: it carries {}", c.label, describe(gpu),
                                describe_kernels(kernels)),
                    source));
      break;
  }
  if (const auto* arch = kb.cuda_arch_range(c.cuda); arch != nullptr && gpu.cc < arch->min_cc) {
    fit.violations.push_back(
        violation("cuda",
                  fmt::format("CUDA {} no longer targets {}: its oldest target is {}",
                              c.cuda.text(), describe(gpu), arch->min_cc.sm()),
                  arch->provenance));
  }
}

std::string needs_text(const Candidate& c, const DriverNeed& need) {
  std::string text = fmt::format("{} uses CUDA {}, which needs driver {} or newer", c.label,
                                 c.cuda.text(), need.full.text());
  if (need.compat && *need.compat != need.full) {
    text += fmt::format(" ({} or newer through minor-version compatibility)", need.compat->text());
  }
  return text;
}

std::string cap_text(const DriverNeed& need, const HostView& host) {
  if (need.cap == nullptr) {
    return "";
  }
  std::vector<std::string> names;
  for (const auto& gpu : host.gpus) {
    if (gpu.last_branch == need.cap) {
      names.push_back(gpu.name);
    }
  }
  return fmt::format("; the last driver branch for {} is {}, so no driver can run it",
                     util::join(names, ", "), need.cap->name);
}

void check_installed(const Candidate& c, const DriverNeed& need, const Version& driver,
                     const HostView& host, const KnowledgeBase& kb, GpuFit& fit) {
  const auto& source = need.provenance;
  if (driver < need.floor) {
    fit.violations.push_back(
        violation("driver",
                  fmt::format("driver {} predates the host's GPUs, which need {} or newer",
                              driver.text(), need.floor.text()),
                  source));
  }
  if (driver >= need.full) {
    fit.reasons.push_back({"driver", driver.text(),
                           fmt::format("the installed driver runs CUDA {} (needs {} or newer)",
                                       c.cuda.text(), need.full.text()),
                           source.cite(), source.unverified});
    return;
  }
  if (need.compat && driver >= *need.compat) {
    if (fit.ptx_jit) {
      fit.violations.push_back(violation(
          "driver",
          fmt::format("driver {} is older than CUDA {}'s {}; minor-version compatibility cannot "
                      "JIT-compile that CUDA's PTX, which these GPUs need",
                      driver.text(), c.cuda.text(), need.full.text()),
          source));
    } else {
      fit.minor_compat = true;
      fit.min_driver = std::max(*need.compat, need.floor).text();
      fit.reasons.push_back(
          {"driver", driver.text(),
           fmt::format("older than CUDA {}'s {}, but at or above the CUDA {} "
                       "family's minor-version minimum {}",
                       c.cuda.text(), need.full.text(), c.cuda.major(), need.compat->text()),
           source.cite(), source.unverified});
      fit.warnings.push_back(fmt::format(
          "driver {} runs CUDA {} through minor-version compatibility: PTX of newer CUDA "
          "cannot be JIT-compiled; driver {} or newer gives full support",
          driver.text(), c.cuda.text(), need.full.text()));
    }
    return;
  }
  const bool capped = need.cap != nullptr && !choose_branch(need, !fit.ptx_jit, kb).branch;
  fit.violations.push_back(
      violation("driver",
                fmt::format("{}; the installed driver is {}{}", needs_text(c, need), driver.text(),
                            capped ? cap_text(need, host) : ""),
                source));
}

}  // namespace

GpuFit fit_gpus(const Candidate& c, const HostView& host, const KnowledgeBase& kb) {
  GpuFit fit;
  for (const auto& gpu : host.gpus) {
    check_kernels(c, gpu, kb, fit);
  }
  const auto need = driver_need(c.cuda, host, kb);
  if (!need) {
    fit.violations.push_back(
        {"cuda", fmt::format("the knowledge base has no driver facts for CUDA {}", c.cuda.text()),
         "", false});
    return fit;
  }
  fit.min_driver = std::max(need->full, need->floor).text();
  const size_t before = fit.violations.size();
  const BranchChoice choice = choose_branch(*need, !fit.ptx_jit, kb);
  if (choice.branch != nullptr) {
    fit.upgrade_branch = choice.branch->name;
  }
  if (host.driver) {
    check_installed(c, *need, *host.driver, host, kb, fit);
    const auto is_driver = [](const Violation& v) { return v.constraint == "driver"; };
    const bool driver_failed =
        std::any_of(fit.violations.begin() + static_cast<std::ptrdiff_t>(before),
                    fit.violations.end(), is_driver);
    if (driver_failed && host.driver_managed && choice.branch != nullptr && !choice.minor_compat) {
      // deepdock manages this host's driver: it installs a branch that runs the build.
      fit.violations.erase(
          std::remove_if(fit.violations.begin() + static_cast<std::ptrdiff_t>(before),
                         fit.violations.end(), is_driver),
          fit.violations.end());
      fit.driver_branch = choice.branch->name;
      fit.warnings.push_back(fmt::format("deepdock replaces driver {} with branch {}: {}",
                                         host.driver->text(), choice.branch->name,
                                         needs_text(c, *need)));
    }
  } else if (host.driver_managed && choice.branch != nullptr) {
    fit.driver_branch = choice.branch->name;
    if (choice.minor_compat) {
      fit.minor_compat = true;
      fit.min_driver = std::max(*need->compat, need->floor).text();
      fit.warnings.push_back(fmt::format(
          "driver branch {} runs CUDA {} only through minor-version compatibility (PTX of newer "
          "CUDA cannot be JIT-compiled)",
          choice.branch->name, c.cuda.text()));
    }
    fit.reasons.push_back(
        {"driver", choice.branch->name,
         fmt::format("deepdock installs {} ({}{}): {}", choice.branch->name, choice.branch->kind,
                     choice.branch->eol.empty() ? "" : ", end of life " + choice.branch->eol,
                     need->cap != nullptr && choice.branch == need->cap
                         ? "the last branch for these GPUs"
                         : fmt::format("it runs CUDA {} (needs {} or newer)", c.cuda.text(),
                                       need->full.text())),
         choice.branch->provenance.cite(), choice.branch->provenance.unverified});
  } else if (host.driver_managed) {
    fit.violations.push_back(
        violation("driver", fmt::format("{}{}", needs_text(c, *need), cap_text(*need, host)),
                  need->provenance));
  } else {
    fit.violations.push_back(
        violation("driver", fmt::format("no NVIDIA driver is installed; {}", needs_text(c, *need)),
                  need->provenance));
  }
  const bool only_driver = std::all_of(fit.violations.begin(), fit.violations.end(),
                                       [](const Violation& v) { return v.constraint == "driver"; });
  fit.driver_only = fit.violations.size() > before && only_driver && choice.branch != nullptr &&
                    !choice.minor_compat;
  return fit;
}

}  // namespace deepdock::core::resolve_detail
