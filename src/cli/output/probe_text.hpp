#pragma once
// The native probe's findings as summary lines ("  Driver       550.54.15 (CUDA 12.4)"),
// shared by `up` and `verify`.

#include <string>

#include "app/verification.hpp"

namespace deepdock::cli {

// Empty when the probe did not run (a verification from before the probe existed).
std::string probe_lines(const app::NativeCheck& native);

}  // namespace deepdock::cli
