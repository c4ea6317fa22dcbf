#pragma once
// The spec's mounts ("host:container[:ro]", host paths relative to the spec's directory)
// as engine bind mounts with absolute host paths.

#include <vector>

#include "core/model/container.hpp"
#include "core/spec/spec.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

Result<std::vector<core::Mount>> spec_mounts(const core::Spec& spec);

// Creates the host directories of bind mounts that do not exist yet (the engine refuses a
// missing bind source), as the user running deepdock.
Status create_mount_sources(const std::vector<core::Mount>& mounts);

}  // namespace deepdock::cli
