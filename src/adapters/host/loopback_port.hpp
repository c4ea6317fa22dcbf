#pragma once
// Whether a TCP port of this machine's loopback is free: nothing listens on 127.0.0.1 (or
// on every address) at that port. Used to move Jupyter and TensorBoard off a busy port.

#include <cstdint>

namespace deepdock::adapters::host {

bool loopback_port_free(uint16_t port);

}  // namespace deepdock::adapters::host
