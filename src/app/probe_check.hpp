#pragma once
// The verification `up` gates on and `deepdock verify` runs: the native probe (src/probe,
// carried inside the deepdock binary) is copied into the running container through the
// engine's archive endpoint together with the framework check, run there, and its JSON
// report judged against what the environment was built for.

#include <cstdint>
#include <string>
#include <string_view>

#include "app/verification.hpp"
#include "core/model/resolution.hpp"
#include "core/ports/container_engine.hpp"

namespace deepdock::app {

// Where the two programs are written in the container.
inline constexpr const char* kProbePath = "/tmp/deepdock-probe";
inline constexpr const char* kFrameworkCheckPath = "/tmp/deepdock-framework-check.py";

// Reads the probe's output (its JSON report on stdout) and judges it. In a GPU environment
// the probe's verdict must be "gpu-ready" (else its diagnosis is the problem) and the
// framework must run its op on the GPU; in a CPU environment the framework check decides.
Verification judge_probe_report(const core::Resolution& resolution, int64_t exit_code,
                                std::string_view stdout_text, std::string_view stderr_text);

// Copies the probe (`probe_binary`, the executable's bytes) and the framework check into the
// running container `container_id`, runs it and judges the report; `checked_at` is `now`.
// A probe that cannot be copied or run is a failed verification that says why.
Verification run_probe_check(core::ContainerEngine& engine, const std::string& container_id,
                             const core::Resolution& resolution, std::string_view probe_binary,
                             const std::string& now);

}  // namespace deepdock::app
