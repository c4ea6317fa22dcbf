#pragma once
// A CUDA compute capability, "8.6": what a GPU runs, and what a build's kernels target.
// SASS (compiled machine code) for sm_XY runs on GPUs of the same major at minor >= Y; PTX for
// compute_XY is compiled by the driver for any GPU at or above X.Y.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace deepdock::core {

struct ComputeCapability {
  int major = 0;
  int minor = 0;

  // "8.6", "10.0"; nothing else.
  static std::optional<ComputeCapability> parse(std::string_view text);

  [[nodiscard]] std::string to_string() const;  // "8.6"
  [[nodiscard]] std::string sm() const;         // "sm_86"
  [[nodiscard]] std::string compute() const;    // "compute_86"

  friend std::strong_ordering operator<=>(const ComputeCapability& a, const ComputeCapability& b) {
    const std::strong_ordering by_major = a.major <=> b.major;
    return std::is_neq(by_major) ? by_major : a.minor <=> b.minor;
  }
  friend bool operator==(const ComputeCapability&, const ComputeCapability&) = default;
};

// Whether SASS compiled for `kernel` runs on a GPU of capability `gpu`.
bool sass_runs_on(ComputeCapability kernel, ComputeCapability gpu);
// Whether PTX for `kernel` can be compiled by the driver for a GPU of capability `gpu`.
bool ptx_runs_on(ComputeCapability kernel, ComputeCapability gpu);

}  // namespace deepdock::core
