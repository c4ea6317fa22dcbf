#pragma once
// The adapters the environment commands use on this machine: the GPU probe (which honours
// DEEPDOCK_HOST_ROOT: where the host's /sys, /proc and /etc are mounted when deepdock
// itself runs in a container), the state directory, and HTTP to 127.0.0.1.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/ports/gpu_probe.hpp"
#include "core/ports/state_store.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

std::unique_ptr<core::GpuProbe> local_gpu_probe();
std::unique_ptr<core::StateStore> local_state_store();

// GET http://127.0.0.1:<port><path>: the status, or an error when nothing answers.
Result<int> local_http_status(uint16_t port, std::string_view path);

// Now, UTC, ISO 8601 to the second ("2026-11-24T16:05:09Z").
std::string now_utc();

}  // namespace deepdock::cli
