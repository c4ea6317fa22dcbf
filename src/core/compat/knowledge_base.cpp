// The knowledge base's queries.

#include "core/compat/knowledge_base.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/compat/embedded.hpp"
#include "util/strings.hpp"

namespace deepdock::core {

namespace {

// The parts of a GPU name that vendors' tools add or leave out.
std::string normalized_gpu_name(std::string_view name) {
  std::string text = util::to_lower(util::trim(name));
  for (const std::string_view prefix : {"nvidia ", "tesla ", "geforce "}) {
    if (text.rfind(prefix, 0) == 0) {
      text.erase(0, prefix.size());
    }
  }
  return text;
}

template <typename Builds>
auto matching(const Builds& builds, const Version& prefix) {
  std::vector<const typename Builds::value_type*> out;
  for (auto it = builds.rbegin(); it != builds.rend(); ++it) {
    if (it->version.has_prefix(prefix)) {
      out.push_back(&*it);
    }
  }
  return out;
}

template <typename Ranged>
const Ranged* in_range(const std::vector<Ranged>& items, const Version& version) {
  for (const auto& item : items) {
    if (item.versions.contains(version)) {
      return &item;
    }
  }
  return nullptr;
}

}  // namespace

bool VersionRange::contains(const Version& version) const {
  const Version minor = version.truncated(2);
  return minor >= from.truncated(2) && (!through || minor <= through->truncated(2));
}

const KnowledgeBase& KnowledgeBase::embedded() {
  static const KnowledgeBase kb = [] {
    auto parsed = parse(embedded_compat_json(), "built-in compat.json");
    if (!parsed) {
      // A build-time file that does not parse is a build defect; the unit tests catch it.
      std::fputs(parsed.error().message.c_str(), stderr);
      std::abort();
    }
    return std::move(*parsed);
  }();
  return kb;
}

std::string_view KnowledgeBase::source_text(std::string_view key) const {
  const auto it = sources_.find(key);
  return it == sources_.end() ? key : std::string_view(it->second);
}

std::vector<const TfBuild*> KnowledgeBase::tf_builds_matching(const Version& prefix) const {
  return matching(tf_builds_, prefix);
}

const TfKernelRange* KnowledgeBase::tf_kernels(const Version& version) const {
  for (const auto& range : tf_kernels_) {
    if (range.versions.contains(version)) {
      return &range;
    }
  }
  return nullptr;
}

const TfTagEra* KnowledgeBase::tf_tag_era(const Version& version) const {
  return in_range(tf_tag_eras_, version);
}

const TfImagePython* KnowledgeBase::tf_image_python(const Version& version) const {
  return in_range(tf_image_python_, version);
}

std::vector<const TorchBuild*> KnowledgeBase::torch_builds_matching(const Version& prefix) const {
  return matching(torch_builds_, prefix);
}

std::string KnowledgeBase::torch_index_url(const Version& cuda) const {
  return util::replace_all(torch_index_template_, "{cuda_nodot}",
                           fmt::format("{}{}", cuda.major(), cuda.minor()));
}

const CudaRelease* KnowledgeBase::cuda_release(const Version& cuda) const {
  const Version minor = cuda.truncated(2);
  for (const auto& release : cuda_) {
    if (release.version == minor) {
      return &release;
    }
  }
  return nullptr;
}

const CudaArchRange* KnowledgeBase::cuda_arch_range(const Version& cuda) const {
  for (const auto& range : cuda_arch_) {
    if (range.cuda.contains(cuda)) {
      return &range;
    }
  }
  return nullptr;
}

std::optional<Version> KnowledgeBase::min_cuda_for(ComputeCapability cc) const {
  const CudaArchRange* oldest = nullptr;
  for (const auto& range : cuda_arch_) {
    if (oldest == nullptr || range.cuda.from < oldest->cuda.from) {
      oldest = &range;
    }
  }
  std::optional<Version> first;
  for (const auto& range : cuda_arch_) {
    if (cc >= range.min_cc && cc <= range.max_cc && (!first || range.cuda.from < *first)) {
      first = range.cuda.from;
    }
  }
  // Targeted by the oldest toolkit recorded: it may well be older still.
  if (first && oldest != nullptr && *first == oldest->cuda.from) {
    return std::nullopt;
  }
  return first;
}

const GpuModel* KnowledgeBase::find_gpu(std::string_view name) const {
  // pci.ids names the marketing name in brackets: "TU104GL [Tesla T4]".
  const auto open = name.find('[');
  const auto close = name.rfind(']');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1) {
    if (const GpuModel* bracketed = find_gpu(name.substr(open + 1, close - open - 1))) {
      return bracketed;
    }
  }
  const std::string wanted = normalized_gpu_name(name);
  if (wanted.empty()) {
    return nullptr;
  }
  if (const auto* accelerator = find_gcp_accelerator(wanted)) {
    for (const auto& gpu : gpus_) {
      if (gpu.name == accelerator->gpu) {
        return &gpu;
      }
    }
  }
  const GpuModel* best = nullptr;
  size_t best_length = 0;
  for (const auto& gpu : gpus_) {
    std::vector<std::string> names = {normalized_gpu_name(gpu.name)};
    for (const auto& alias : gpu.aliases) {
      names.push_back(normalized_gpu_name(alias));
    }
    for (const auto& candidate : names) {
      if (candidate == wanted) {
        return &gpu;
      }
      // "h100 80gb hbm3" starts with "h100 80gb" followed by a space.
      if (wanted.size() > candidate.size() && wanted.rfind(candidate, 0) == 0 &&
          wanted[candidate.size()] == ' ' && candidate.size() > best_length) {
        best = &gpu;
        best_length = candidate.size();
      }
    }
  }
  return best;
}

const Architecture* KnowledgeBase::architecture_for(ComputeCapability cc) const {
  for (const auto& architecture : architectures_) {
    if (cc >= architecture.cc_min && cc <= architecture.cc_max) {
      return &architecture;
    }
  }
  return nullptr;
}

const DriverBranch* KnowledgeBase::driver_branch(std::string_view name) const {
  for (const auto& branch : branches_) {
    if (util::iequals(branch.name, name)) {
      return &branch;
    }
  }
  return nullptr;
}

const GcpAccelerator* KnowledgeBase::find_gcp_accelerator(std::string_view type) const {
  for (const auto& accelerator : gcp_) {
    if (util::iequals(accelerator.type, util::trim(type))) {
      return &accelerator;
    }
  }
  return nullptr;
}

std::vector<const GcpAccelerator*> KnowledgeBase::gcp_accelerators_for(
    std::string_view gpu_name) const {
  std::vector<const GcpAccelerator*> out;
  for (const auto& accelerator : gcp_) {
    if (accelerator.gpu == gpu_name) {
      out.push_back(&accelerator);
    }
  }
  return out;
}

const DebianSuite* KnowledgeBase::debian_suite(std::string_view name) const {
  for (const auto& suite : debian_suites_) {
    if (suite.name == name) {
      return &suite;
    }
  }
  return nullptr;
}

std::string KnowledgeBase::debian_package(std::string_view framework) const {
  const auto it = debian_packages_.find(framework);
  return it == debian_packages_.end() ? std::string() : it->second;
}

}  // namespace deepdock::core
