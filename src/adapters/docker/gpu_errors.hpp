#pragma once
// The GPU failures users hit most when a container starts, recognised in the engine's
// message and turned into what is wrong and the command that fixes it.

#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace deepdock::adapters::docker {

// The error for a known GPU failure in a daemon message, or nullopt. The message says
// what is wrong without the operation; the caller prefixes it.
std::optional<Error> classify_gpu_error(std::string_view daemon_message);

// The NVIDIA driver branch ("550") whose driver first reports CUDA `major.minor`, or ""
// when the version is outside the table.
std::string min_driver_branch_for_cuda(int major, int minor);

}  // namespace deepdock::adapters::docker
