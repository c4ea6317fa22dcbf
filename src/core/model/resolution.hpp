#pragma once
// The resolver's answer: one combination of framework, Python, CUDA, cuDNN, driver and base
// image that works on the host, with the reason for each choice; or, when none does, every
// violated constraint and the nearest combinations that would work.

#include <string>
#include <vector>

#include "core/spec/spec.hpp"

namespace deepdock::core {

// Why one choice was made. `source` is the knowledge-base entry's source; `unverified`
// marks facts the knowledge base flags as not confirmed in a primary source.
struct Reason {
  std::string subject;  // "framework", "python", "cuda", "cudnn", "driver", "base_image", "pip"
  std::string choice;   // "2.15.1"
  std::string why;      // one sentence
  std::string source;
  bool unverified = false;
};

enum class BaseKind { kOfficialImage, kImageRef, kDebootstrap };

struct Resolution {
  Framework framework = Framework::kTensorflow;
  std::string framework_version;  // full release, "2.15.1"; "debian" for Debian's packages
  std::string python;             // "3.11"
  bool gpu = false;               // a GPU environment (false: CPU, said so in the summary)
  std::string cuda;               // "12.2"; empty for CPU
  std::string cudnn;              // "8.9"; empty for CPU
  std::string min_driver;         // "525.60.13": the oldest host driver that runs this CUDA
  std::string driver_branch;      // "R535": what deepdock installs where it manages the driver
  BaseKind base_kind = BaseKind::kOfficialImage;
  std::string base_image;  // "tensorflow/tensorflow:2.15.0-gpu-jupyter", "debootstrap:bookworm"
  std::vector<std::string> apt_packages;  // framework packages from apt (debootstrap bases)
  std::vector<std::string> pip_packages;  // framework packages from pip, pinned; empty when the
                                          // base image already has the framework
  std::string pip_index_url;              // e.g. the PyTorch wheel index for a CUDA build
  // The framework as its package manager names it, pinned ("tensorflow-gpu==1.15.0",
  // "torch==2.1.*", "python3-torch"), whether the base image has it or it is installed.
  std::string framework_package;
  bool base_has_jupyter = false;  // the base image already runs Jupyter (a -jupyter tag)
  std::vector<Reason> reasons;
  std::vector<std::string> warnings;  // end-of-life, unverified facts used, CPU fallback
};

struct Violation {
  std::string constraint;  // "compute capability", "driver", "python", "cuda"
  std::string detail;      // "TensorFlow 2.15 has no kernels for sm_37 (Tesla K80)"
  std::string source;
  bool unverified = false;
};

struct Alternative {
  std::string summary;            // "TensorFlow 2.14.1 runs on a Tesla K80 with driver R470"
  std::string framework_version;  // set when the alternative changes the version
  std::vector<std::string> gpus;  // set when the alternative changes the GPU
  std::vector<std::string> gcp_accelerators;  // their Google Cloud accelerator types
};

struct Conflict {
  std::vector<Violation> violations;
  std::vector<Alternative> alternatives;
  std::vector<std::string> warnings;
};

}  // namespace deepdock::core
