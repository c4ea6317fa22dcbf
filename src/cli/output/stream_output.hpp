#pragma once
// Passes a container's output through to ours as it arrives: its stdout to stdout, its
// stderr to stderr, flushed at once (`exec`, `logs`).

#include <string_view>

#include "core/model/container.hpp"

namespace deepdock::cli {

void write_container_output(core::StreamKind kind, std::string_view data);

}  // namespace deepdock::cli
