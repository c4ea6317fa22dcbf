#pragma once
// The NVIDIA device nodes visible in /dev: what the container runtime passed into the
// container, read below a root directory so that tests can use a fixture tree.

#include <string>

#include "probe/probe_report.hpp"

namespace deepdock::probe {

// Lists <root>/dev: nvidia<N>, nvidiactl, nvidia-uvm, nvidia-uvm-tools and nvidia-caps.
// A missing or unreadable /dev is the same as one without NVIDIA nodes.
DeviceNodes find_device_nodes(const std::string& root);

}  // namespace deepdock::probe
