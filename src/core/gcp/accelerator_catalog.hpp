#pragma once
// The GPUs Google Compute Engine offers, as deepdock needs to know them: which regional
// quota metric an on-demand or a Spot VM consumes (api-reference A.6), which machine
// family carries the GPU (N1 takes guestAccelerators; G2, A2 and A3 have their GPUs built
// in), how many GPUs one VM may have, and the GPU's model name as the resolver and the
// bootstrap know it ("Tesla T4").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::core {

enum class MachineFamily {
  kN1,       // n1-standard-N + guestAccelerators
  kG2,       // g2-standard-N, L4 built in
  kA2High,   // a2-highgpu-Ng, A100 40GB built in
  kA2Ultra,  // a2-ultragpu-Ng, A100 80GB built in
  kA3High,   // a3-highgpu-Ng, H100 80GB built in
};

std::string_view to_string(MachineFamily family);

struct AcceleratorInfo {
  std::string_view type;       // nvidia-tesla-t4
  std::string_view gpu_model;  // Tesla T4
  // The regional quota metric an on-demand VM consumes; "" when Compute has none (H100:
  // only PREEMPTIBLE_ and COMMITTED_ exist), i.e. unknown.
  std::string_view on_demand_metric;
  std::string_view spot_metric;  // PREEMPTIBLE_...
  MachineFamily family = MachineFamily::kN1;
  std::vector<int> counts;  // GPUs per VM Compute accepts: {1, 2, 4} ...
};

// Every accelerator deepdock knows, in a fixed order (oldest first).
const std::vector<AcceleratorInfo>& accelerator_catalog();

// nullptr when `type` is not in the catalog.
const AcceleratorInfo* find_accelerator(std::string_view type);

// The regional quota metric a VM with `type` consumes; nullopt when there is none to read
// (an unknown type, or on-demand H100), which callers treat as "unknown, try it".
std::optional<std::string> regional_gpu_metric(std::string_view type, bool spot);

// The project-wide GPU quota that caps every region.
inline constexpr std::string_view kGlobalGpuMetric = "GPUS_ALL_REGIONS";

// The catalog's types, for "did you mean" and hints.
std::vector<std::string_view> known_accelerator_types();

}  // namespace deepdock::core
