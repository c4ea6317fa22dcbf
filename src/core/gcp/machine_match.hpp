#pragma once
// Which machine type carries an accelerator: N1 types take the GPUs as guestAccelerators
// and are sized by the GPU count (4 vCPUs per GPU, the smallest shape Google recommends for
// training input pipelines); G2, A2 and A3 types have the GPUs built in, one shape per
// count, so the type alone says how many GPUs the VM has and no guestAccelerators are sent.
// A machine type the spec names is checked against the accelerator and the count.

#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::core {

struct MachineChoice {
  std::string machine_type;  // n1-standard-4, g2-standard-4, a2-highgpu-1g
  bool built_in_gpus = false;
  std::string reason;  // "4 vCPUs per GPU on N1 for 1 x nvidia-tesla-t4", "the spec's"
};

// `requested` is the spec's machine_type ("" = match one). kInvalidInput for a count the
// accelerator does not come in, or a machine type that cannot carry it (with the types
// that can in the hint); kIncompatible for an accelerator outside the catalog with an
// explicit machine type that is not N1.
Result<MachineChoice> match_machine_type(std::string_view accelerator, int count,
                                         std::string_view requested);

// Whether a machine type has its GPUs built in (g2-*, a2-*, a3-*).
bool carries_built_in_gpus(std::string_view machine_type);

// The GPU count a built-in shape carries (g2-standard-24 -> 2, a2-highgpu-4g -> 4); 0 when
// the type has none or is not known.
int built_in_gpu_count(std::string_view machine_type);

// The vCPUs of a predefined machine type read from its name, as Google names them:
// n1-standard-4 and g2-standard-8 end with the count; a2-highgpu-Ng and a2-ultragpu-Ng have
// 12 per GPU; a3-highgpu-Ng 26 per GPU. 0 when the name does not say (custom types).
int vcpus_of_machine_type(std::string_view machine_type);

}  // namespace deepdock::core
