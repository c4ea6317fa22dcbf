#pragma once
// Waiting until an environment's services (Jupyter, TensorBoard) answer: asked over HTTP
// on this machine's 127.0.0.1 when the engine is local, else from inside the container. A
// container that stops meanwhile ends the wait at once, with its last output.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/container_engine.hpp"

namespace deepdock::app {

struct ServiceTarget {
  std::string name;             // "Jupyter"
  uint16_t host_port = 0;       // where it answers on this machine's 127.0.0.1
  uint16_t container_port = 0;  // where it listens inside the container
  std::string path;             // "/api"
};

struct ServiceWait {
  core::ContainerEngine& engine;
  std::string container_id;
  std::string container_name;
  bool engine_is_local = true;
  // GET http://127.0.0.1:<port><path> from this machine; the HTTP status.
  std::function<Result<int>(uint16_t port, std::string_view path)> local_http_status;
  std::chrono::seconds timeout{300};
};

// Until every target answers 200, the container stops (kFailure), the time is up
// (kTimeout) or the user interrupts (kCancelled).
Status wait_for_services(const ServiceWait& wait, const std::vector<ServiceTarget>& targets);

// The container's last `lines` lines of output, for messages.
std::string container_log_tail(core::ContainerEngine& engine, const std::string& id,
                               size_t lines = 30);

}  // namespace deepdock::app
