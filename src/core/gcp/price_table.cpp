#include "core/gcp/price_table.hpp"

#include <array>

namespace deepdock::core {
namespace {

// USD per hour in us-central1, rounded, transcribed by hand from Google Cloud's public
// pricing pages (cloud.google.com/compute/gpus-pricing and /compute/vm-instance-pricing)
// as they read in 2024; nothing is fetched at run time. Spot figures are a snapshot of
// prices Google changes up to once a month. Good for "about how much per hour", not for a
// budget. The machine part is per vCPU with the family's memory per vCPU included; A3
// is sold as a bundle, so its whole price sits in the GPU column.
struct GpuPrice {
  std::string_view accelerator;
  double on_demand;
  double spot;
};
constexpr std::array<GpuPrice, 9> kGpuPrices = {{
    {"nvidia-tesla-k80", 0.45, 0.135},
    {"nvidia-tesla-p4", 0.60, 0.216},
    {"nvidia-tesla-p100", 1.46, 0.43},
    {"nvidia-tesla-v100", 2.48, 0.74},
    {"nvidia-tesla-t4", 0.35, 0.14},
    {"nvidia-l4", 0.56, 0.22},
    {"nvidia-tesla-a100", 2.93, 1.17},
    {"nvidia-a100-80gb", 3.93, 1.57},
    {"nvidia-h100-80gb", 11.06, 3.70},
}};

struct CpuPrice {
  std::string_view prefix;
  double on_demand;  // per vCPU, memory included
  double spot;
};
constexpr std::array<CpuPrice, 5> kCpuPrices = {{
    {"n1-", 0.0475, 0.0100},
    {"g2-", 0.0367, 0.0147},
    {"a2-highgpu-", 0.0616, 0.0185},
    {"a2-ultragpu-", 0.0950, 0.0285},
    {"a3-", 0.0, 0.0},
}};

}  // namespace

std::optional<PriceEstimate> estimate_price(std::string_view accelerator, int count,
                                            std::string_view machine_type, int guest_cpus) {
  const GpuPrice* gpu = nullptr;
  for (const GpuPrice& row : kGpuPrices) {
    if (row.accelerator == accelerator) {
      gpu = &row;
    }
  }
  const CpuPrice* cpu = nullptr;
  for (const CpuPrice& row : kCpuPrices) {
    if (machine_type.starts_with(row.prefix)) {
      cpu = &row;
    }
  }
  if (gpu == nullptr || cpu == nullptr || count <= 0 || guest_cpus < 0) {
    return std::nullopt;
  }
  return PriceEstimate{gpu->on_demand * count + cpu->on_demand * guest_cpus,
                       gpu->spot * count + cpu->spot * guest_cpus};
}

}  // namespace deepdock::core
