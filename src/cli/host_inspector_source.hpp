#pragma once
// The host inspector `deepdock doctor` uses on this machine. It honours DEEPDOCK_HOST_ROOT
// (where the host's /sys, /proc, /dev and /etc are mounted when deepdock itself runs in a
// container, and a fixture tree in tests) and looks for the container toolkit on PATH.

#include <memory>

#include "core/ports/host_inspector.hpp"

namespace deepdock::cli {

std::unique_ptr<core::HostInspector> local_host_inspector();

}  // namespace deepdock::cli
