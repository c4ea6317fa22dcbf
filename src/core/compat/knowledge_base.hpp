#pragma once
// The compatibility knowledge base (data/compat.json) as typed values, and the questions the
// resolver asks of it. Built into the binary (embedded()), or read from a newer file
// (--compat FILE) through parse(), which checks the schema and reports every problem with its
// JSON path. Every entry carries its sources and whether it is unverified.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/compat/compute_capability.hpp"
#include "core/compat/kernel_set.hpp"
#include "core/compat/provenance.hpp"
#include "core/compat/version.hpp"
#include "util/error.hpp"

namespace deepdock::core {

// Releases between two versions, compared on major.minor: from 2.15 through 2.17 holds
// 2.15.0 and 2.17.1. No `through` = no upper bound.
struct VersionRange {
  Version from;
  std::optional<Version> through;
  [[nodiscard]] bool contains(const Version& version) const;
};

struct TfBuild {
  Version version;  // "2.16.1"
  Version python_min;
  Version python_max;
  bool python27 = false;     // also Python 2.7
  Version cuda;              // "12.2"
  Version cudnn;             // "8.9"
  std::string pip_gpu;       // "tensorflow-gpu", "tensorflow", "tensorflow[and-cuda]"
  std::string pip_cpu;       // "tensorflow", "tensorflow-cpu"
  std::string pip_gpu_also;  // another package said to work (1.15: "tensorflow"), unverified
  Provenance provenance;
};

struct TfKernelRange {
  VersionRange versions;
  KernelSet kernels;
};

// Tag templates of tensorflow/tensorflow for a range of releases; "{v}" is the release.
// Empty = the era has no such tag.
struct TfTagEra {
  VersionRange versions;
  std::string gpu, gpu_jupyter, cpu, cpu_jupyter;
  std::string py2_gpu, py2_cpu;  // Python 2.7 images
  std::string latest_gpu, latest_gpu_jupyter, latest_cpu, latest_cpu_jupyter;
  Provenance provenance;
};

struct TfImagePython {
  VersionRange versions;
  std::string ubuntu;             // "18.04"; empty when not recorded
  std::optional<Version> python;  // the image's Python 3; nullopt when not recorded
  Provenance provenance;
};

struct TorchVariant {
  Version cuda;       // "12.1" -> wheels cu121
  std::string cudnn;  // "8.9"; empty when not recorded
  KernelSet kernels;  // TORCH_CUDA_ARCH_LIST of the wheels
  std::string note;
  bool unverified = false;  // the variant itself (e.g. pip cu113 for 1.10)
};

struct TorchBuild {
  Version version;  // "2.1": the newest 2.1.x is installed
  bool release_candidate = false;
  Version python_min;
  Version python_max;
  Version python_default;
  bool python27 = false;
  std::optional<Version> pypi_default_cuda;  // what a plain `pip install torch` gets on Linux
  std::vector<TorchVariant> variants;        // ascending CUDA
  Provenance provenance;
};

struct JaxVariant {
  std::string extra;  // "cuda12" -> jax[cuda12]
  Version cuda;
  Version min_driver;
  ComputeCapability min_cc;
  Provenance provenance;
};

struct CudaRelease {
  Version version;  // minor: "12.2"
  std::string first_release;
  Version min_driver;                              // Linux driver of the toolkit (NVIDIA's Table 3)
  std::optional<Version> minor_compat_min_driver;  // CUDA 11+: the family's minimum
  Provenance provenance;
};

// The GPU architectures a CUDA toolkit (and its libraries) can target.
struct CudaArchRange {
  VersionRange cuda;
  ComputeCapability min_cc;
  ComputeCapability max_cc;
  Provenance provenance;
};

struct GpuModel {
  std::string name;  // "Tesla T4"
  std::vector<std::string> aliases;
  std::string compute_capability;  // "7.5"
  ComputeCapability cc;
  std::optional<int> memory_gb;
  std::string architecture;                       // "Turing"
  std::optional<std::string> last_driver_branch;  // "R470"; nullopt = current drivers
  std::optional<Version> min_cuda;                // the first CUDA that targets it
  Provenance provenance;
};

struct Architecture {
  std::string name;  // "Kepler"
  ComputeCapability cc_min;
  ComputeCapability cc_max;
  std::optional<std::string> last_driver_branch;
  Provenance provenance;
};

struct DriverBranch {
  std::string name;                   // "R580"
  int number = 0;                     // 580
  std::string kind;                   // "LTSB", "PB", "legacy"
  std::string eol;                    // "2028-06"; empty when not recorded
  std::optional<Version> max_cuda;    // newest CUDA whose toolkit driver is in this branch
  std::vector<std::string> last_for;  // architectures this branch is the last for
  Provenance provenance;
};

struct GcpAccelerator {
  std::string type;  // "nvidia-tesla-t4"
  std::string gpu;   // GpuModel::name
  std::vector<std::string> machine_families;
  std::string quota_metric;
  std::string preemptible_quota_metric;
  std::vector<std::string> example_zones;
  bool retired = false;
  std::string retired_on;  // "2024-05-01"
  std::string notice;      // where Google announced it
  bool end_of_support_announced = false;
  Provenance provenance;
};

struct DebianSuite {
  std::string name;  // "bookworm"
  std::string version;
  Version python;
  std::string torch;  // python3-torch's version
  Provenance provenance;
};

class KnowledgeBase {
 public:
  // Parses and checks a compat.json. Every problem is reported at once, one per line, as
  // "<origin>: <json path>: <what is wrong>", with ErrorCode::kInvalidInput.
  static Result<KnowledgeBase> parse(std::string_view json_text, std::string_view origin);
  // The knowledge base built into the binary, parsed once.
  static const KnowledgeBase& embedded();

  [[nodiscard]] int schema_version() const { return schema_version_; }
  [[nodiscard]] const std::string& snapshot() const { return snapshot_; }  // "2026-09"
  [[nodiscard]] const std::string& origin() const { return origin_; }
  // The citation behind a source key; the key itself when unknown.
  [[nodiscard]] std::string_view source_text(std::string_view key) const;
  [[nodiscard]] const std::map<std::string, std::string, std::less<>>& sources() const {
    return sources_;
  }

  // TensorFlow. Builds are ascending by version.
  [[nodiscard]] const std::vector<TfBuild>& tf_builds() const { return tf_builds_; }
  [[nodiscard]] const std::string& tf_image() const { return tf_image_; }
  // Builds whose version starts with `prefix` ("2.15" -> 2.15.x), newest first.
  [[nodiscard]] std::vector<const TfBuild*> tf_builds_matching(const Version& prefix) const;
  [[nodiscard]] const TfKernelRange* tf_kernels(const Version& version) const;
  [[nodiscard]] const TfTagEra* tf_tag_era(const Version& version) const;
  [[nodiscard]] const TfImagePython* tf_image_python(const Version& version) const;

  // PyTorch. Builds are ascending by version.
  [[nodiscard]] const std::vector<TorchBuild>& torch_builds() const { return torch_builds_; }
  [[nodiscard]] std::vector<const TorchBuild*> torch_builds_matching(const Version& prefix) const;
  // "https://download.pytorch.org/whl/cu121" for CUDA 12.1.
  [[nodiscard]] std::string torch_index_url(const Version& cuda) const;
  [[nodiscard]] const Provenance& torch_index_provenance() const { return torch_index_; }

  [[nodiscard]] const std::vector<JaxVariant>& jax_variants() const { return jax_variants_; }
  [[nodiscard]] const Version& jax_python_min() const { return jax_python_min_; }
  [[nodiscard]] const Version& jax_python_default() const { return jax_python_default_; }

  // CUDA.
  [[nodiscard]] const std::vector<CudaRelease>& cuda_releases() const { return cuda_; }
  // The release of a CUDA minor ("12.2", or "12.2.2" -> 12.2).
  [[nodiscard]] const CudaRelease* cuda_release(const Version& cuda) const;
  [[nodiscard]] const CudaArchRange* cuda_arch_range(const Version& cuda) const;
  // The first CUDA whose toolkit targets `cc`; nullopt when none in the base does, or when
  // the oldest toolkit recorded already does (an older one may too).
  [[nodiscard]] std::optional<Version> min_cuda_for(ComputeCapability cc) const;

  // GPUs, by name, alias or Google Cloud accelerator type, case-insensitively; an NVML name
  // ("NVIDIA A100-SXM4-40GB", "NVIDIA H100 80GB HBM3") is matched by its leading words.
  [[nodiscard]] const GpuModel* find_gpu(std::string_view name) const;
  [[nodiscard]] const std::vector<GpuModel>& gpus() const { return gpus_; }
  [[nodiscard]] const Architecture* architecture_for(ComputeCapability cc) const;

  [[nodiscard]] const std::vector<DriverBranch>& driver_branches() const { return branches_; }
  [[nodiscard]] const DriverBranch* driver_branch(std::string_view name) const;

  // Google Cloud.
  [[nodiscard]] const std::vector<GcpAccelerator>& gcp_accelerators() const { return gcp_; }
  [[nodiscard]] const GcpAccelerator* find_gcp_accelerator(std::string_view type) const;
  [[nodiscard]] std::vector<const GcpAccelerator*> gcp_accelerators_for(
      std::string_view gpu_name) const;
  [[nodiscard]] const std::string& gcp_global_quota_metric() const { return gcp_global_quota_; }

  // Debian (debootstrap bases).
  [[nodiscard]] const DebianSuite* debian_suite(std::string_view name) const;
  // The Debian package of a framework ("pytorch" -> "python3-torch"); empty when Debian has none.
  [[nodiscard]] std::string debian_package(std::string_view framework) const;
  [[nodiscard]] const Provenance& debian_provenance() const { return debian_; }

  [[nodiscard]] const Version& default_python() const { return default_python_; }

 private:
  friend class KnowledgeBaseReader;

  int schema_version_ = 0;
  std::string snapshot_;
  std::string origin_;
  std::map<std::string, std::string, std::less<>> sources_;
  std::string tf_image_;
  std::vector<TfBuild> tf_builds_;
  std::vector<TfKernelRange> tf_kernels_;
  std::vector<TfTagEra> tf_tag_eras_;
  std::vector<TfImagePython> tf_image_python_;
  std::string torch_index_template_;
  Provenance torch_index_;
  std::vector<TorchBuild> torch_builds_;
  std::vector<JaxVariant> jax_variants_;
  Version jax_python_min_;
  Version jax_python_default_;
  std::vector<CudaRelease> cuda_;
  std::vector<CudaArchRange> cuda_arch_;
  std::vector<GpuModel> gpus_;
  std::vector<Architecture> architectures_;
  std::vector<DriverBranch> branches_;
  std::vector<GcpAccelerator> gcp_;
  std::string gcp_global_quota_;
  std::vector<DebianSuite> debian_suites_;
  std::map<std::string, std::string, std::less<>> debian_packages_;
  Provenance debian_;
  Version default_python_;
};

}  // namespace deepdock::core
