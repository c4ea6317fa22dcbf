// The CUDA, GPU, driver, Google Cloud and Debian sections of compat.json, and the checks of
// names one section uses and another defines.

#include <fmt/format.h>

#include <algorithm>

#include "core/compat/knowledge_base.hpp"
#include "core/compat/knowledge_base_reader.hpp"

namespace deepdock::core {

using compat_json::for_each_object;
using compat_json::join_path;
using compat_json::Json;

void KnowledgeBaseReader::read_cuda(const Json& root) {
  const Json* cuda = reader.object(root, "", "cuda");
  if (cuda == nullptr) {
    return;
  }
  for_each_object(reader, *cuda, "cuda", "releases", [&](const Json& e, const std::string& at) {
    CudaRelease r;
    r.version = reader.version(e, at, "version").value_or(Version{});
    r.first_release = reader.text(e, at, "first_release").value_or("");
    r.min_driver = reader.version(e, at, "min_driver").value_or(Version{});
    r.minor_compat_min_driver = reader.version(e, at, "minor_compat_min_driver", false);
    r.provenance = reader.provenance(e, at);
    kb_.cuda_.push_back(std::move(r));
  });
  std::stable_sort(
      kb_.cuda_.begin(), kb_.cuda_.end(),
      [](const CudaRelease& a, const CudaRelease& b) { return a.version < b.version; });
  for_each_object(reader, *cuda, "cuda", "architectures",
                  [&](const Json& e, const std::string& at) {
                    CudaArchRange a;
                    a.cuda = range(e, at);
                    a.min_cc = reader.capability(e, at, "min_cc").value_or(ComputeCapability{});
                    a.max_cc = reader.capability(e, at, "max_cc").value_or(ComputeCapability{});
                    a.provenance = reader.provenance(e, at);
                    kb_.cuda_arch_.push_back(std::move(a));
                  });
}

void KnowledgeBaseReader::read_gpus(const Json& root) {
  for_each_object(reader, root, "", "gpus", [&](const Json& e, const std::string& at) {
    GpuModel g;
    g.name = reader.text(e, at, "name").value_or("");
    g.aliases = reader.text_list(e, at, "aliases");
    g.compute_capability = reader.text(e, at, "compute_capability").value_or("");
    if (const auto cc = ComputeCapability::parse(g.compute_capability)) {
      g.cc = *cc;
    } else if (!g.compute_capability.empty()) {
      reader.problem(join_path(at, "compute_capability"),
                     "expected a compute capability such as \"8.6\"");
    }
    g.memory_gb = reader.integer(e, at, "memory_gb", false);
    g.architecture = reader.text(e, at, "architecture").value_or("");
    g.last_driver_branch = reader.text(e, at, "last_driver_branch", false);
    g.min_cuda = reader.version(e, at, "min_cuda", false);
    g.provenance = reader.provenance(e, at);
    kb_.gpus_.push_back(std::move(g));
  });
  for_each_object(reader, root, "", "architectures", [&](const Json& e, const std::string& at) {
    Architecture a;
    a.name = reader.text(e, at, "name").value_or("");
    a.cc_min = reader.capability(e, at, "cc_min").value_or(ComputeCapability{});
    a.cc_max = reader.capability(e, at, "cc_max").value_or(ComputeCapability{});
    a.last_driver_branch = reader.text(e, at, "last_driver_branch", false);
    a.provenance = reader.provenance(e, at);
    kb_.architectures_.push_back(std::move(a));
  });
}

void KnowledgeBaseReader::read_driver_branches(const Json& root) {
  for_each_object(reader, root, "", "driver_branches", [&](const Json& e, const std::string& at) {
    DriverBranch b;
    b.name = reader.text(e, at, "name").value_or("");
    b.number = reader.integer(e, at, "number").value_or(0);
    if (b.name != fmt::format("R{}", b.number)) {
      reader.problem(join_path(at, "name"),
                     fmt::format("expected \"R{}\" to match number", b.number));
    }
    b.kind = reader.text(e, at, "kind").value_or("");
    b.eol = reader.text(e, at, "eol", false).value_or("");
    b.max_cuda = reader.version(e, at, "max_cuda", false);
    b.last_for = reader.text_list(e, at, "last_for");
    b.provenance = reader.provenance(e, at);
    kb_.branches_.push_back(std::move(b));
  });
  std::stable_sort(
      kb_.branches_.begin(), kb_.branches_.end(),
      [](const DriverBranch& a, const DriverBranch& b) { return a.number < b.number; });
}

void KnowledgeBaseReader::read_gcp(const Json& root) {
  const Json* gcp = reader.object(root, "", "gcp");
  if (gcp == nullptr) {
    return;
  }
  for_each_object(reader, *gcp, "gcp", "accelerators", [&](const Json& e, const std::string& at) {
    GcpAccelerator a;
    a.type = reader.text(e, at, "type").value_or("");
    a.gpu = reader.text(e, at, "gpu").value_or("");
    a.machine_families = reader.text_list(e, at, "machine_families");
    a.quota_metric = reader.text(e, at, "quota_metric").value_or("");
    a.preemptible_quota_metric = reader.text(e, at, "preemptible_quota_metric").value_or("");
    a.example_zones = reader.text_list(e, at, "example_zones", false);
    a.retired = reader.flag(e, at, "retired");
    a.retired_on = reader.text(e, at, "retired_on", false).value_or("");
    a.notice = reader.text(e, at, "notice", false).value_or("");
    a.end_of_support_announced = reader.flag(e, at, "end_of_support_announced");
    a.provenance = reader.provenance(e, at);
    kb_.gcp_.push_back(std::move(a));
  });
  if (const Json* quota = reader.object(*gcp, "gcp", "global_quota_metric")) {
    kb_.gcp_global_quota_ = reader.text(*quota, "gcp.global_quota_metric", "metric").value_or("");
    (void)reader.provenance(*quota, "gcp.global_quota_metric");
  }
}

void KnowledgeBaseReader::read_debian(const Json& root) {
  if (const Json* debian = reader.object(root, "", "debian")) {
    for_each_object(reader, *debian, "debian", "suites", [&](const Json& e, const std::string& at) {
      DebianSuite s;
      s.name = reader.text(e, at, "name").value_or("");
      s.version = reader.text(e, at, "version").value_or("");
      s.python = reader.version(e, at, "python").value_or(Version{});
      s.torch = reader.text(e, at, "torch", false).value_or("");
      s.provenance = reader.provenance(e, at);
      kb_.debian_suites_.push_back(std::move(s));
    });
    if (const Json* packages = reader.object(*debian, "debian", "packages")) {
      for (const auto& [framework, package] : packages->items()) {
        if (!package.is_string()) {
          reader.problem(join_path("debian.packages", framework), "expected a package name");
          continue;
        }
        kb_.debian_packages_.emplace(framework, package.get<std::string>());
      }
    }
    if (!kb_.debian_suites_.empty()) {
      kb_.debian_ = kb_.debian_suites_.front().provenance;
    }
  }
  if (const Json* defaults = reader.object(root, "", "defaults")) {
    kb_.default_python_ = reader.version(*defaults, "defaults", "python").value_or(Version{});
    (void)reader.provenance(*defaults, "defaults");
  }
}

void KnowledgeBaseReader::check_references() {
  for (size_t i = 0; i < kb_.tf_builds_.size(); ++i) {
    const auto& b = kb_.tf_builds_[i];
    if (kb_.cuda_release(b.cuda) == nullptr) {
      reader.problem(fmt::format("tensorflow.builds[{}].cuda", i),
                     fmt::format("CUDA {} is not in cuda.releases", b.cuda.text()));
    }
  }
  for (size_t i = 0; i < kb_.torch_builds_.size(); ++i) {
    for (size_t j = 0; j < kb_.torch_builds_[i].variants.size(); ++j) {
      const auto& cuda = kb_.torch_builds_[i].variants[j].cuda;
      if (kb_.cuda_release(cuda) == nullptr) {
        reader.problem(fmt::format("pytorch.builds[{}].variants[{}].cuda", i, j),
                       fmt::format("CUDA {} is not in cuda.releases", cuda.text()));
      }
    }
  }
  for (size_t i = 0; i < kb_.gpus_.size(); ++i) {
    const auto& branch = kb_.gpus_[i].last_driver_branch;
    if (branch && kb_.driver_branch(*branch) == nullptr) {
      reader.problem(fmt::format("gpus[{}].last_driver_branch", i),
                     fmt::format("{} is not in driver_branches", *branch));
    }
  }
  for (size_t i = 0; i < kb_.architectures_.size(); ++i) {
    const auto& branch = kb_.architectures_[i].last_driver_branch;
    if (branch && kb_.driver_branch(*branch) == nullptr) {
      reader.problem(fmt::format("architectures[{}].last_driver_branch", i),
                     fmt::format("{} is not in driver_branches", *branch));
    }
  }
  for (size_t i = 0; i < kb_.gcp_.size(); ++i) {
    const auto& gpu = kb_.gcp_[i].gpu;
    const bool known = std::any_of(kb_.gpus_.begin(), kb_.gpus_.end(),
                                   [&](const GpuModel& g) { return g.name == gpu; });
    if (!known) {
      reader.problem(fmt::format("gcp.accelerators[{}].gpu", i),
                     fmt::format("\"{}\" is not the name of an entry in gpus", gpu));
    }
  }
}

}  // namespace deepdock::core
