#pragma once
// Builds the real container engine client from the user's environment: DOCKER_HOST, the
// current Docker context, DOCKER_CERT_PATH/DOCKER_TLS_VERIFY and DOCKER_API_VERSION.

#include <memory>

#include "core/ports/container_engine.hpp"
#include "util/error.hpp"

namespace deepdock::cli {

Result<std::unique_ptr<core::ContainerEngine>> connect_engine();

}  // namespace deepdock::cli
