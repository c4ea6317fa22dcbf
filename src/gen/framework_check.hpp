#pragma once
// The framework check, which the probe (src/probe) runs in the container after its own: the
// framework imports, lists its GPUs, and runs a matrix product on the GPU (or the CPU in a
// CPU environment). A Python 3.5+ program (TensorFlow 1.x images ship 3.5 and 3.6) that
// prints one line, kFrameworkCheckMarker followed by a JSON object:
//   {"framework", "version", "gpu_count", "gpus": [names], "device": where the op ran,
//    "value_ok": the product's sum was exact, "cpu_agrees": the GPU's result matched the
//    CPU's (null when the op ran on the CPU), "import_seconds", "first_op_seconds",
//    "error": "" or "Type: message", "seconds": the whole check}

#include <string>

#include "core/spec/spec.hpp"

namespace deepdock::gen {

inline constexpr const char* kFrameworkCheckMarker = "DEEPDOCK_CHECK ";
// Then a line for people after this marker: what the framework saw and where the op ran.
inline constexpr const char* kFrameworkSummaryMarker = "DEEPDOCK_SUMMARY ";

// The program (the probe runs it as `python3 FILE`). With want_gpu the op is placed on the first
// GPU when the framework sees one (and the check then fails rather than run it on the CPU).
std::string framework_check_script(core::Framework framework, bool want_gpu);

}  // namespace deepdock::gen
